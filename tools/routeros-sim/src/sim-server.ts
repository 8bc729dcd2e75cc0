import net from 'node:net';
import tls from 'node:tls';

import { Session } from './session';
import type { SimRouter } from './sim-router';

export interface TlsMaterial {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
}

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** The API listeners of one simulated router: plain, and api-ssl when TLS material is given. */
export class SimServer {
  private readonly servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();
  apiPort = 0;
  apiSslPort: number | undefined;

  constructor(readonly router: SimRouter) {}

  async listen(
    port: number,
    tlsOptions?: { readonly material: TlsMaterial; readonly port: number },
  ): Promise<void> {
    const plain = net.createServer((socket) => {
      this.accept(socket, 'api');
    });
    this.apiPort = await this.start(plain, port);
    if (tlsOptions === undefined) return;
    const secure = tls.createServer(
      { key: tlsOptions.material.key, cert: tlsOptions.material.cert },
      (socket) => {
        this.accept(socket, 'api-ssl');
      },
    );
    // A failed handshake must not take the simulator down.
    secure.on('tlsClientError', () => undefined);
    this.apiSslPort = await this.start(secure, tlsOptions.port);
  }

  /** Drops every open API connection (as a router reboot or link loss would). */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.dropConnections();
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => {
              resolve();
            });
          }),
      ),
    );
  }

  private accept(socket: net.Socket, service: 'api' | 'api-ssl'): void {
    socket.on('error', () => undefined);
    if (this.router.faults.refuseConnections) {
      socket.destroy();
      return;
    }
    const admission = this.router.admit(service, socket.remoteAddress ?? '');
    if (admission === 'reset') {
      // A disabled service has no listener: the nearest a listening socket gets is a reset.
      socket.resetAndDestroy();
      return;
    }
    if (admission === 'close') {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    new Session(socket, this.router);
  }

  private start(server: net.Server, port: number): Promise<number> {
    this.servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.router.address, port }, () => {
        server.off('error', reject);
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  }
}
