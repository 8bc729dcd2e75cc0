import net from 'node:net';

/** `speaks-first`: open, and it sent bytes unasked, which a RouterOS API never does. */
export type PortState = 'open' | 'speaks-first' | 'closed' | 'timeout';

/**
 * One TCP connect to `host:port`: `open` when it is accepted, `closed` when refused or
 * unreachable, `timeout` when nothing answers in `timeoutMs` (a filtered port or no host). With
 * `listenMs`, an accepted connection is held that long to catch a server that greets first
 * (SSH, SMTP, FTP banners), so the login handshake need not wait out its timeout on it.
 */
export function probePort(host: string, port: number, timeoutMs: number, listenMs = 0): Promise<PortState> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let listening: NodeJS.Timeout | undefined;
    const settle = (state: PortState): void => {
      clearTimeout(timer);
      clearTimeout(listening);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(state);
    };
    const timer = setTimeout(() => {
      settle('timeout');
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      if (listenMs <= 0) {
        settle('open');
        return;
      }
      listening = setTimeout(() => {
        settle('open');
      }, listenMs);
      socket.once('data', () => {
        settle('speaks-first');
      });
    });
    socket.once('error', () => {
      settle('closed');
    });
  });
}

/** The local address this machine uses to reach `host:port` (what the router sees as source). */
export function localAddressTowards(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(undefined);
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      const local = socket.localAddress?.replace(/^::ffff:/, '');
      socket.destroy();
      resolve(local);
    });
    socket.once('error', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    });
  });
}
