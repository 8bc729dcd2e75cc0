import net from 'node:net';

export type PortState = 'open' | 'closed' | 'timeout';

/**
 * One TCP connect to `host:port`: `open` when it is accepted, `closed` when refused or
 * unreachable, `timeout` when nothing answers in `timeoutMs` (a filtered port or no host).
 */
export function probePort(host: string, port: number, timeoutMs: number): Promise<PortState> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const settle = (state: PortState): void => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(state);
    };
    const timer = setTimeout(() => {
      settle('timeout');
    }, timeoutMs);
    socket.once('connect', () => {
      settle('open');
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
