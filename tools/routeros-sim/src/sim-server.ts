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

/**
 * The API listeners of one simulated router: `api`, and `api-ssl`, which speaks TLS with the
 * certificate `/ip/service` names for it (or the lab's material while that is `none`).
 */
export class SimServer {
  private readonly servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();
  apiPort = 0;
  apiSslPort: number | undefined;

  constructor(readonly router: SimRouter) {}

  async listen(port: number, ssl: { readonly port: number; readonly material?: TlsMaterial }): Promise<void> {
    const plain = net.createServer((socket) => {
      if (this.admitted(socket, 'api')) this.session(socket);
    });
    this.apiPort = await this.start(plain, port);
    const secure = net.createServer((socket) => {
      this.acceptSecure(socket, ssl.material);
    });
    this.apiSslPort = await this.start(secure, ssl.port);
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

  /** Admission as `/ip/service` says; false when the connection was turned away. */
  private admitted(socket: net.Socket, service: 'api' | 'api-ssl'): boolean {
    socket.on('error', () => undefined);
    if (this.router.faults.refuseConnections) {
      socket.destroy();
      return false;
    }
    const admission = this.router.admit(service, socket.remoteAddress ?? '');
    if (admission === 'reset') {
      // A disabled service has no listener: the nearest a listening socket gets is a reset.
      socket.resetAndDestroy();
      return false;
    }
    if (admission === 'close') {
      socket.destroy();
      return false;
    }
    return true;
  }

  /** TLS with the certificate api-ssl has at this moment, then an API session. */
  private acceptSecure(socket: net.Socket, fallback: TlsMaterial | undefined): void {
    if (!this.admitted(socket, 'api-ssl')) return;
    const material = this.router.apiSslMaterial(fallback);
    if (material === undefined) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    const secure = new tls.TLSSocket(socket, {
      isServer: true,
      secureContext: tls.createSecureContext({ key: material.key, cert: material.cert }),
    });
    // A failed handshake must not take the simulator down.
    secure.on('error', () => {
      socket.destroy();
    });
    secure.once('secure', () => {
      this.session(secure);
    });
  }

  private session(socket: net.Socket): void {
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
