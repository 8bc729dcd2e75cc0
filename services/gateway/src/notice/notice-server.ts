import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface NoticeServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The suspension notice server. The router sends a suspended customer's plain HTTP here (dstnat,
 * whatever site they asked for); every request, any host and path, is redirected to the notice
 * page `url` (the portal's `/isp/suspended`), which says why and how to pay. Never cached, so the
 * customer's browser asks again once the service is back.
 */
export async function startNoticeServer(options: {
  readonly url: string;
  readonly port: number;
  readonly host: string;
}): Promise<NoticeServer> {
  const server: Server = createServer((request, response) => {
    request.resume();
    response.writeHead(302, {
      location: options.url,
      'cache-control': 'no-store',
      'content-type': 'text/plain; charset=utf-8',
      connection: 'close',
    });
    response.end(`Service suspended: ${options.url}\n`);
  });
  // Bounded: many customers' browsers retry; none may hold a socket for long.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
