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

type Service = 'api' | 'api-ssl';

interface Listener {
  readonly service: Service;
  port: number;
  readonly onConnection: (socket: net.Socket) => void;
  server: net.Server | undefined;
  opening: boolean;
}

/**
 * The API listeners of one simulated router: `api`, and `api-ssl`, which speaks TLS with the
 * certificate `/ip/service` names for it (or the lab's material while that is `none`). A
 * disabled service does not listen at all (connections are refused), as on RouterOS; enabled
 * again, it listens on the same port.
 */
export class SimServer {
  private readonly servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();
  private listeners: Listener[] = [];
  private unsubscribe: (() => void) | undefined;
  private closed = false;
  apiPort = 0;
  apiSslPort: number | undefined;

  constructor(readonly router: SimRouter) {}

  async listen(port: number, ssl: { readonly port: number; readonly material?: TlsMaterial }): Promise<void> {
    const api: Listener = {
      service: 'api',
      port,
      onConnection: (socket) => {
        if (this.admitted(socket, 'api')) this.session(socket);
      },
      server: undefined,
      opening: false,
    };
    const apiSsl: Listener = {
      service: 'api-ssl',
      port: ssl.port,
      onConnection: (socket) => {
        this.acceptSecure(socket, ssl.material);
      },
      server: undefined,
      opening: false,
    };
    this.listeners = [api, apiSsl];
    // Both open first, so that port 0 settles on a port that a later re-enable reuses.
    for (const listener of this.listeners) await this.open(listener);
    this.apiPort = api.port;
    this.apiSslPort = apiSsl.port;
    this.unsubscribe = this.router.state.subscribe((event) => {
      if (event.menu === '/ip/service') this.follow();
    });
    this.follow();
  }

  /** Drops every open API connection (as a router reboot or link loss would). */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    this.dropConnections();
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            if (!server.listening) {
              resolve();
              return;
            }
            server.close(() => {
              resolve();
            });
          }),
      ),
    );
  }

  /** Opens or closes each listener as its service's `disabled` says. */
  private follow(): void {
    if (this.closed) return;
    for (const listener of this.listeners) {
      const row = this.router.state
        .items('/ip/service')
        .find((item) => item.values['name'] === listener.service);
      const disabled = row?.values['disabled'] === 'true';
      const server = listener.server;
      if (disabled && server !== undefined) {
        listener.server = undefined;
        // Stops listening at once; sessions already open go on.
        server.close();
      } else if (!disabled && server === undefined && !listener.opening) {
        this.open(listener).catch(() => undefined);
      }
    }
  }

  private async open(listener: Listener): Promise<void> {
    listener.opening = true;
    try {
      const server = net.createServer(listener.onConnection);
      listener.port = await this.start(server, listener.port);
      listener.server = server;
    } finally {
      listener.opening = false;
    }
    // The service may have changed while the port was being opened.
    if (this.unsubscribe !== undefined) this.follow();
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
      // Disabled a moment ago, its listener not closed yet: as near to "refused" as it gets.
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
