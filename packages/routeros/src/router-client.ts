import type { CommandResult, ConnectionOptions, Row, SendOptions } from './router-connection';
import { RouterConnection } from './router-connection';
import { RouterOsError } from './errors';

/** How one command went, for metrics: how long the router took and how it answered. */
export interface CommandTiming {
  readonly command: string;
  readonly seconds: number;
  /** `trap`: the router refused it; `error`: no answer (timeout, lost connection). */
  readonly result: 'ok' | 'trap' | 'error';
}

export interface RouterClientOptions extends ConnectionOptions {
  /** Called once per command when its reply (or failure) arrives. */
  readonly onCommand?: (timing: CommandTiming) => void;
}

export interface PrintOptions {
  /** Properties to return (`.proplist`); rows lacking one simply omit it. */
  readonly proplist?: readonly string[];
  /** Query words without the leading `?`, e.g. `['comment=isp:x', '#|']`. */
  readonly query?: readonly string[];
  readonly timeoutMs?: number;
}

export interface ListenHandle {
  readonly tag: string;
  /** Settles when the listen ends: resolves after stop(), rejects if the connection fails. */
  readonly done: Promise<void>;
  /** Sends `/cancel` for this listen and waits until it has ended. */
  stop(): Promise<void>;
}

export interface ClientStats {
  /** Commands sent, login included. */
  commands: number;
  /** Sessions opened (1 + reconnects). */
  sessions: number;
}

/**
 * A RouterOS API client for one router. It opens its session lazily and reopens it after a lost
 * connection, so the command after a failure reconnects; the failed command itself is not retried
 * because the router may already have applied it.
 */
export class RouterClient {
  readonly stats: ClientStats = { commands: 0, sessions: 0 };
  private session: Promise<RouterConnection> | undefined;
  private closed = false;

  constructor(readonly options: RouterClientOptions) {}

  /** Creates a client and logs in, so that bad credentials fail here. */
  static async connect(options: RouterClientOptions): Promise<RouterClient> {
    const client = new RouterClient(options);
    await client.connection();
    return client;
  }

  /** Runs any command; the base of the helpers below. */
  async execute(
    command: string,
    attributes: Readonly<Record<string, string>> = {},
    queries: readonly string[] = [],
    options: SendOptions = {},
  ): Promise<CommandResult> {
    const connection = await this.connection();
    this.stats.commands++;
    const { onCommand } = this.options;
    if (onCommand === undefined) return connection.send(command, attributes, queries, options).result;
    const started = performance.now();
    const sent = connection.send(command, attributes, queries, options).result;
    const observe = (result: CommandTiming['result']): void => {
      onCommand({ command, seconds: (performance.now() - started) / 1000, result });
    };
    try {
      const result = await sent;
      observe('ok');
      return result;
    } catch (error) {
      observe(error instanceof RouterOsError && error.traps.length > 0 ? 'trap' : 'error');
      throw error;
    }
  }

  async print(menu: string, options: PrintOptions = {}): Promise<readonly Row[]> {
    const result = await this.execute(
      `${menu}/print`,
      proplist(options),
      options.query ?? [],
      timeout(options),
    );
    return result.rows;
  }

  async count(menu: string, options: Omit<PrintOptions, 'proplist'> = {}): Promise<number> {
    const result = await this.execute(
      `${menu}/print`,
      { 'count-only': '' },
      options.query ?? [],
      timeout(options),
    );
    return Number(result.done['ret'] ?? '0');
  }

  /** Adds an item and returns its `.id` (`=ret=`). */
  async add(
    menu: string,
    attributes: Readonly<Record<string, string>>,
    options: { timeoutMs?: number } = {},
  ): Promise<string> {
    const result = await this.execute(`${menu}/add`, attributes, [], timeout(options));
    const id = result.done['ret'];
    if (id === undefined)
      throw new RouterOsError('ISP_ERR_ROUTEROS_BAD_REPLY', { message: `${menu}/add returned no id` });
    return id;
  }

  /** Changes an item; pass `undefined` as id for singleton menus such as `/system/identity`. */
  async set(
    menu: string,
    id: string | undefined,
    attributes: Readonly<Record<string, string>>,
    options: { timeoutMs?: number } = {},
  ): Promise<void> {
    await this.execute(
      `${menu}/set`,
      id === undefined ? attributes : { '.id': id, ...attributes },
      [],
      timeout(options),
    );
  }

  async remove(
    menu: string,
    ids: string | readonly string[],
    options: { timeoutMs?: number } = {},
  ): Promise<void> {
    const list = typeof ids === 'string' ? ids : ids.join(',');
    await this.execute(`${menu}/remove`, { '.id': list }, [], timeout(options));
  }

  /** Cancels the command with this tag, or every running command when no tag is given. */
  async cancel(tag?: string): Promise<void> {
    await this.execute('/cancel', tag === undefined ? {} : { tag });
  }

  /** Streams changes of a menu (`listen`): removed items arrive with `.dead=true`. */
  async listen(
    menu: string,
    onRow: (row: Row) => void,
    options: Omit<PrintOptions, 'timeoutMs'> = {},
  ): Promise<ListenHandle> {
    const connection = await this.connection();
    this.stats.commands++;
    const sent = connection.send(`${menu}/listen`, proplist(options), options.query ?? [], { onRow });
    const done = sent.result.then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof RouterOsError && error.code === 'ISP_ERR_ROUTEROS_INTERRUPTED') return undefined;
        throw error;
      },
    );
    // The caller may never await `done`; a rejection must not surface as an unhandled one.
    done.catch(() => undefined);
    return {
      tag: sent.tag,
      done,
      stop: async () => {
        this.stats.commands++;
        await connection.send('/cancel', { tag: sent.tag }).result;
        await done;
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const session = this.session;
    this.session = undefined;
    if (session === undefined) return;
    const connection = await session.catch(() => undefined);
    await connection?.close();
  }

  private async connection(): Promise<RouterConnection> {
    if (this.closed) throw new RouterOsError('ISP_ERR_ROUTEROS_CLOSED');
    const current = this.session;
    if (current !== undefined) {
      const connection = await current.catch(() => undefined);
      if (connection?.alive === true) return connection;
      if (this.session !== current) return this.connection();
    }
    this.stats.sessions++;
    this.stats.commands++;
    const opening = RouterConnection.open(this.options);
    this.session = opening;
    try {
      return await opening;
    } catch (error) {
      if (this.session === opening) this.session = undefined;
      throw error;
    }
  }
}

function timeout(options: { timeoutMs?: number }): SendOptions {
  return options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
}

function proplist(options: { proplist?: readonly string[] }): Record<string, string> {
  return options.proplist === undefined ? {} : { '.proplist': options.proplist.join(',') };
}
