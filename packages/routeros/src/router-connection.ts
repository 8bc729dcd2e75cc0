import net from 'node:net';
import tls from 'node:tls';

import { commandWords } from './command-sentence';
import { SentenceDecoder } from './decoder';
import type { DecoderLimits } from './decoder';
import { errorFromTraps, RouterOsError } from './errors';
import type { Trap } from './errors';
import { legacyLoginResponse } from './legacy-login';
import { parseReply } from './reply';
import type { Reply } from './reply';
import { encodeSentence } from './sentence';

export type Row = Readonly<Record<string, string>>;

export interface CommandResult {
  /** One entry per `!re`. */
  readonly rows: readonly Row[];
  /** Attributes of the closing `!done` (e.g. `ret` after add or count-only print). */
  readonly done: Row;
  /** True when the router answered `!empty` (RouterOS 7.18+). */
  readonly empty: boolean;
}

export interface RouterTlsOptions {
  /** CA certificate(s) to verify the router against (used when no fingerprint is pinned). */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** SHA-256 fingerprint of the router certificate (hex, colons optional); replaces CA verification. */
  readonly fingerprint256?: string;
  readonly servername?: string;
}

export interface ConnectionOptions {
  readonly host: string;
  readonly port?: number;
  readonly user: string;
  readonly password: string;
  /** `true` verifies against the system CAs; an object pins a fingerprint or names a CA. */
  readonly tls?: boolean | RouterTlsOptions;
  /** Hard limit for every command, and for connect + login. */
  readonly timeoutMs?: number;
  readonly decoderLimits?: Partial<DecoderLimits>;
  /**
   * Source address of the connection (a host with several addresses, e.g. a technician's laptop
   * on the factory 192.168.88.0/24 and on the management network, picks the one the router allows).
   */
  readonly localAddress?: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const API_PORT = 8728;
export const API_SSL_PORT = 8729;

interface Pending {
  readonly command: string;
  readonly rows: Row[];
  readonly traps: Trap[];
  empty: boolean;
  readonly onRow: ((row: Row) => void) | undefined;
  readonly resolve: (result: CommandResult) => void;
  readonly reject: (error: RouterOsError) => void;
  timer: NodeJS.Timeout | undefined;
}

export interface SendOptions {
  readonly timeoutMs?: number;
  /** Streams rows instead of collecting them (listen); such commands have no timeout. */
  readonly onRow?: (row: Row) => void;
}

function normaliseFingerprint(value: string): string {
  return value.replace(/:/g, '').toUpperCase();
}

/**
 * One logged-in API session. Commands are tagged, so any number may be in flight; replies are
 * routed by tag. Every socket event ends in a settled promise, never in an uncaught exception.
 */
export class RouterConnection {
  private readonly pending = new Map<string, Pending>();
  private readonly decoder: SentenceDecoder;
  private nextTag = 1;
  private failure: RouterOsError | undefined;
  private readonly closedPromise: Promise<void>;

  private constructor(
    private readonly socket: net.Socket,
    private readonly timeoutMs: number,
    limits: Partial<DecoderLimits> | undefined,
  ) {
    this.decoder = new SentenceDecoder({ encoding: 'utf8', ...(limits === undefined ? {} : { limits }) });
    this.closedPromise = new Promise((resolve) =>
      socket.once('close', () => {
        resolve();
      }),
    );
    socket.on('data', (chunk: Buffer) => {
      this.onData(chunk);
    });
    socket.on('error', (error) => {
      this.fail(
        new RouterOsError('ISP_ERR_ROUTEROS_CONNECTION_LOST', { message: error.message, cause: error }),
      );
    });
    socket.on('close', () => {
      this.fail(new RouterOsError('ISP_ERR_ROUTEROS_CONNECTION_LOST'));
    });
  }

  /** Opens the socket (plain or TLS), then logs in. */
  static async open(options: ConnectionOptions): Promise<RouterConnection> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const socket = await connectSocket(options, timeoutMs);
    const connection = new RouterConnection(socket, timeoutMs, options.decoderLimits);
    try {
      await connection.login(options.user, options.password);
    } catch (error) {
      connection.destroy();
      // A router that closes before login completes refused us (available-from, max-sessions).
      if (error instanceof RouterOsError && error.code === 'ISP_ERR_ROUTEROS_CONNECTION_LOST') {
        throw new RouterOsError('ISP_ERR_ROUTEROS_CONNECT_FAILED', {
          message: `${options.host} closed the connection before login completed`,
          cause: error,
        });
      }
      throw error;
    }
    return connection;
  }

  get alive(): boolean {
    return this.failure === undefined;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Sends one command and resolves with its rows, or rejects with a typed error. */
  send(
    command: string,
    attributes: Readonly<Record<string, string>> = {},
    queries: readonly string[] = [],
    options: SendOptions = {},
  ): { readonly tag: string; readonly result: Promise<CommandResult> } {
    const tag = (this.nextTag++).toString(36);
    const result = new Promise<CommandResult>((resolve, reject) => {
      if (this.failure !== undefined) {
        reject(this.failure);
        return;
      }
      const entry: Pending = {
        command,
        rows: [],
        traps: [],
        empty: false,
        onRow: options.onRow,
        resolve,
        reject,
        timer: undefined,
      };
      if (options.onRow === undefined) {
        const timeoutMs = options.timeoutMs ?? this.timeoutMs;
        entry.timer = setTimeout(() => {
          // Late replies for this tag find no entry and are dropped.
          this.pending.delete(tag);
          reject(
            new RouterOsError('ISP_ERR_ROUTEROS_TIMEOUT', {
              message: `${command} timed out after ${timeoutMs} ms`,
              command,
            }),
          );
          this.write(['/cancel', `=tag=${tag}`]);
        }, timeoutMs);
      }
      this.pending.set(tag, entry);
      this.write(commandWords(command, attributes, queries, tag));
    });
    return { tag, result };
  }

  /** Ends the session; in-flight commands fail with ISP_ERR_ROUTEROS_CLOSED. */
  async close(): Promise<void> {
    this.fail(new RouterOsError('ISP_ERR_ROUTEROS_CLOSED'));
    this.socket.end();
    const force = setTimeout(() => this.socket.destroy(), 1000);
    await this.closedPromise;
    clearTimeout(force);
  }

  destroy(): void {
    this.fail(new RouterOsError('ISP_ERR_ROUTEROS_CLOSED'));
    this.socket.destroy();
  }

  private async login(user: string, password: string): Promise<void> {
    const first = await this.sendChecked('/login', { name: user, password });
    const challenge = first.done['ret'];
    if (challenge === undefined) return;
    await this.sendChecked('/login', { name: user, response: legacyLoginResponse(password, challenge) });
  }

  private async sendChecked(command: string, attributes: Record<string, string>): Promise<CommandResult> {
    try {
      return await this.send(command, attributes).result;
    } catch (error) {
      if (error instanceof RouterOsError && error.code === 'ISP_ERR_ROUTEROS_TRAP') {
        throw new RouterOsError('ISP_ERR_ROUTEROS_LOGIN_FAILED', {
          message: error.message,
          traps: error.traps,
        });
      }
      throw error;
    }
  }

  private write(words: readonly string[]): void {
    if (this.failure !== undefined || this.socket.destroyed) return;
    // Commands sent in the same tick (a pipelined batch) leave in one write instead of one
    // segment each; the session has Nagle off, so without this every command is its own packet.
    if (this.socket.writableCorked === 0) {
      this.socket.cork();
      process.nextTick(() => {
        this.socket.uncork();
      });
    }
    this.socket.write(encodeSentence(words, 'utf8'));
  }

  private onData(chunk: Buffer): void {
    let sentences: string[][];
    try {
      sentences = this.decoder.push(chunk);
    } catch (error) {
      this.fail(error instanceof RouterOsError ? error : new RouterOsError('ISP_ERR_ROUTEROS_BAD_REPLY'));
      this.socket.destroy();
      return;
    }
    for (const words of sentences) {
      let reply: Reply;
      try {
        reply = parseReply(words);
      } catch (error) {
        this.fail(error instanceof RouterOsError ? error : new RouterOsError('ISP_ERR_ROUTEROS_BAD_REPLY'));
        this.socket.destroy();
        return;
      }
      this.dispatch(reply);
    }
  }

  private dispatch(reply: Reply): void {
    if (reply.type === 'fatal') {
      this.fail(new RouterOsError('ISP_ERR_ROUTEROS_FATAL', { message: reply.reason ?? 'fatal' }));
      this.socket.destroy();
      return;
    }
    const tag = reply.tag;
    if (tag === undefined) return;
    const entry = this.pending.get(tag);
    if (entry === undefined) return;
    switch (reply.type) {
      case 're':
        if (entry.onRow === undefined) entry.rows.push(reply.attributes);
        else entry.onRow(reply.attributes);
        return;
      case 'empty':
        entry.empty = true;
        return;
      case 'trap': {
        const category = reply.attributes['category'];
        entry.traps.push({
          message: reply.attributes['message'] ?? '',
          ...(category === undefined ? {} : { category: Number(category) }),
        });
        return;
      }
      case 'done':
        this.pending.delete(tag);
        clearTimeout(entry.timer);
        if (entry.traps.length > 0) entry.reject(errorFromTraps(entry.traps, entry.command));
        else entry.resolve({ rows: entry.rows, done: reply.attributes, empty: entry.empty });
        return;
    }
  }

  private fail(error: RouterOsError): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
      entry.reject(
        new RouterOsError(error.code, { message: error.message, command: entry.command, cause: error }),
      );
    }
    this.pending.clear();
  }
}

function connectSocket(options: ConnectionOptions, timeoutMs: number): Promise<net.Socket> {
  const useTls = options.tls !== undefined && options.tls !== false;
  const port = options.port ?? (useTls ? API_SSL_PORT : API_PORT);
  return new Promise((resolve, reject) => {
    let socket: net.Socket;
    const failed = (error: RouterOsError): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(() => {
      failed(
        new RouterOsError('ISP_ERR_ROUTEROS_CONNECT_FAILED', {
          message: `connect to ${options.host}:${port} timed out`,
        }),
      );
    }, timeoutMs);
    const onError = (error: Error): void => {
      failed(
        new RouterOsError('ISP_ERR_ROUTEROS_CONNECT_FAILED', {
          message: `${options.host}:${port}: ${error.message}`,
          cause: error,
        }),
      );
    };
    const ready = (): void => {
      clearTimeout(timer);
      socket.off('error', onError);
      socket.setNoDelay(true);
      resolve(socket);
    };
    const local = options.localAddress === undefined ? {} : { localAddress: options.localAddress };
    if (!useTls) {
      socket = net.connect({ host: options.host, port, ...local }, ready);
      socket.once('error', onError);
      return;
    }
    const tlsOptions = typeof options.tls === 'object' ? options.tls : {};
    const pinned =
      tlsOptions.fingerprint256 === undefined ? undefined : normaliseFingerprint(tlsOptions.fingerprint256);
    const secure = tls.connect(
      {
        host: options.host,
        port,
        ...local,
        ...(tlsOptions.servername === undefined ? {} : { servername: tlsOptions.servername }),
        ...(tlsOptions.ca === undefined
          ? {}
          : { ca: tlsOptions.ca as string | Buffer | (string | Buffer)[] }),
        // A pinned fingerprint replaces chain verification: routers use self-signed certificates.
        rejectUnauthorized: pinned === undefined,
      },
      () => {
        if (pinned !== undefined) {
          const actual = normaliseFingerprint(secure.getPeerCertificate().fingerprint256);
          if (actual !== pinned) {
            failed(
              new RouterOsError('ISP_ERR_ROUTEROS_TLS_FINGERPRINT', {
                message: `router certificate fingerprint ${actual} is not the pinned one`,
              }),
            );
            return;
          }
        }
        ready();
      },
    );
    socket = secure;
    socket.once('error', onError);
  });
}
