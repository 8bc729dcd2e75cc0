import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';

import { encodeSentence, parseCommandSentence, SentenceDecoder, tagWord } from '@isp/routeros';
import type { CommandSentence } from '@isp/routeros';

import type { Caller, Outcome } from './menu-engine';
import { compileQuery } from './query';
import { formatId } from './router-state';
import type { ItemEvent } from './router-state';
import { SimRouter } from './sim-router';
import { printRow } from './menu-engine';

// Commands without a tag are tracked under a private key; their replies go out untagged.
const UNTAGGED = 'untagged:';

function tagOf(key: string): string | undefined {
  return key.startsWith(UNTAGGED) ? undefined : key;
}

// RouterOS closes a session that keeps sending commands without logging in.
const MAX_COMMANDS_BEFORE_LOGIN = 8;

interface Running {
  readonly command: string;
  /** Stops a listen, or a command still waiting out the simulated latency. */
  readonly stop: () => void;
}

/** One API connection: framing, login, tags, cancel, listen, latency and injected drops. */
export class Session {
  private readonly decoder = new SentenceDecoder({ encoding: 'latin1' });
  private caller: Caller | undefined;
  private challenge: string | undefined;
  private commandsBeforeLogin = 0;
  private readonly running = new Map<string, Running>();
  // Commands received and not yet answered with `!done`; feeds the router's max-in-flight figure.
  private readonly inFlight = new Set<string>();
  private closed = false;
  private readonly remote: string;

  constructor(
    private readonly socket: Socket,
    private readonly router: SimRouter,
  ) {
    this.remote = socket.remoteAddress ?? '';
    socket.on('data', (chunk: Buffer) => {
      this.onData(chunk);
    });
    socket.on('error', () => {
      this.close();
    });
    socket.on('close', () => {
      this.close();
    });
  }

  private onData(chunk: Buffer): void {
    let sentences: string[][];
    try {
      sentences = this.decoder.push(chunk);
    } catch {
      // A control byte or an oversized word: the protocol says the peer cannot proceed.
      this.socket.destroy();
      return;
    }
    if (sentences.length === 0) return;
    // The replies to commands that arrived together leave together: they are written in promise
    // continuations of this turn, so the socket is uncorked once those have run.
    this.socket.cork();
    setImmediate(() => {
      this.socket.uncork();
    });
    for (const words of sentences) this.receive(parseCommandSentence(words));
  }

  private receive(sentence: CommandSentence): void {
    if (this.closed) return;
    const key = sentence.tag ?? `${UNTAGGED}${randomBytes(4).toString('hex')}`;
    this.inFlight.add(key);
    this.router.stats.inFlight++;
    this.router.stats.maxInFlight = Math.max(this.router.stats.maxInFlight, this.router.stats.inFlight);
    const latency = this.router.faults.latencyMs;
    if (latency <= 0) {
      void this.handle(sentence, key);
      return;
    }
    const timer = setTimeout(() => {
      this.running.delete(key);
      void this.handle(sentence, key);
    }, latency);
    this.running.set(key, {
      command: sentence.command,
      stop: () => {
        clearTimeout(timer);
      },
    });
  }

  private async handle(sentence: CommandSentence, key: string): Promise<void> {
    if (this.closed) return;
    const { command, tag } = sentence;
    const drop = this.router.faults.drops.get(command);
    if (drop !== undefined && this.caller !== undefined) {
      drop.remaining--;
      if (drop.remaining <= 0) this.router.faults.drops.delete(command);
      if (drop.apply) await this.router.execute(this.caller, command, sentence.attributes, sentence.queries);
      this.socket.destroy();
      this.close();
      return;
    }
    if (command === '/quit') {
      this.send(['!fatal', 'session terminated on request']);
      this.finish(key);
      this.socket.end();
      return;
    }
    if (command === '/login') {
      this.login(sentence);
      this.finish(key);
      return;
    }
    if (this.caller === undefined) {
      this.commandsBeforeLogin++;
      if (this.commandsBeforeLogin > MAX_COMMANDS_BEFORE_LOGIN) {
        this.send(['!fatal', 'not logged in']);
        this.socket.end();
        this.close();
        return;
      }
      this.reply(tag, { traps: [{ message: 'not logged in', category: 0 }] });
      this.finish(key);
      return;
    }
    if (command === '/cancel') {
      this.cancel(sentence.attributes['tag'], key, tag);
      return;
    }
    if (sentence.unknownWords.length > 0) {
      this.reply(tag, {
        traps: [{ message: `unknown parameter ${sentence.unknownWords[0] ?? ''}`, category: 1 }],
      });
      this.finish(key);
      return;
    }
    if (command.endsWith('/listen')) {
      this.listen(sentence, key);
      return;
    }
    const outcome = await this.router.execute(this.caller, command, sentence.attributes, sentence.queries);
    this.reply(tag, outcome);
    this.finish(key);
  }

  private login(sentence: CommandSentence): void {
    const { name, password, response } = sentence.attributes;
    const legacy = this.router.options.legacyLogin === true;
    if (legacy && response === undefined) {
      // Pre-6.43 routers answer any first /login with a challenge; clients then send the MD5 response.
      this.challenge = randomBytes(16).toString('hex');
      this.reply(sentence.tag, { done: { ret: this.challenge } });
      return;
    }
    let caller: Caller | undefined;
    if (name !== undefined && response !== undefined && this.challenge !== undefined) {
      caller = this.router.login(name, SimRouter.checkLegacy(this.challenge, response), this.remote);
    } else if (!legacy && name !== undefined && password !== undefined) {
      caller = this.router.login(name, (actual) => actual === password, this.remote);
    }
    if (caller === undefined) {
      this.reply(sentence.tag, {
        traps: [{ message: legacy ? 'cannot log in' : 'invalid user name or password (6)' }],
      });
      return;
    }
    this.caller = caller;
    this.reply(sentence.tag, {});
  }

  private listen(sentence: CommandSentence, key: string): void {
    const caller = this.caller;
    if (caller === undefined) return;
    const menu = sentence.command.slice(0, -'/listen'.length);
    const table = this.router.state.table(menu);
    if (table === undefined) {
      this.reply(sentence.tag, this.router.unknownPath(sentence.command));
      this.finish(key);
      return;
    }
    const proplist = sentence.attributes['.proplist'];
    const matches = compileQuery(sentence.queries);
    const unsubscribe = this.router.state.subscribe((event: ItemEvent) => {
      if (event.menu !== menu) return;
      if (event.dead) {
        this.send(withTag(['!re', `=.id=${formatId(event.item.id)}`, '=.dead=true'], sentence.tag));
        return;
      }
      const row = printRow(this.router.state, table.spec, event.item, caller);
      if (!matches(row)) return;
      const names = proplist === undefined ? Object.keys(row) : proplist.split(',');
      const words = names.flatMap((name) => (row[name] === undefined ? [] : [`=${name}=${row[name]}`]));
      this.send(withTag(['!re', ...words], sentence.tag));
    });
    this.running.set(key, { command: sentence.command, stop: unsubscribe });
  }

  /**
   * Stops the targeted commands. Order as on a device: each cancelled command's trap, then the
   * cancel's own `!done`, then the cancelled commands' `!done`.
   */
  private cancel(target: string | undefined, self: string, cancelTag: string | undefined): void {
    const cancelled: string[] = [];
    for (const [key, running] of [...this.running]) {
      if (key === self || (target !== undefined && key !== target)) continue;
      running.stop();
      this.running.delete(key);
      cancelled.push(key);
      this.send(withTag(['!trap', '=category=2', '=message=interrupted'], tagOf(key)));
    }
    this.reply(cancelTag, {});
    this.finish(self);
    for (const key of cancelled) {
      this.send(withTag(['!done'], tagOf(key)));
      this.finish(key);
    }
  }

  private reply(tag: string | undefined, outcome: Outcome): void {
    // One write for the whole reply, as a device sends a print's rows in full TCP segments rather
    // than one segment per row.
    this.socket.cork();
    try {
      this.replySentences(tag, outcome);
    } finally {
      this.socket.uncork();
    }
  }

  private replySentences(tag: string | undefined, outcome: Outcome): void {
    if (
      outcome.traps === undefined &&
      outcome.rows !== undefined &&
      outcome.rows.length === 0 &&
      this.router.sendsEmpty
    ) {
      this.send(withTag(['!empty'], tag));
    }
    for (const row of outcome.rows ?? []) {
      this.send(withTag(['!re', ...Object.entries(row).map(([name, value]) => `=${name}=${value}`)], tag));
    }
    for (const trap of outcome.traps ?? []) {
      const words = [
        '!trap',
        ...(trap.category === undefined ? [] : [`=category=${trap.category}`]),
        `=message=${trap.message}`,
      ];
      this.send(withTag(words, tag));
    }
    this.send(
      withTag(
        ['!done', ...Object.entries(outcome.done ?? {}).map(([name, value]) => `=${name}=${value}`)],
        tag,
      ),
    );
  }

  private send(words: readonly string[]): void {
    if (this.closed || this.socket.destroyed) return;
    const bytes = encodeSentence(words, 'latin1');
    if (!this.router.faults.fragmentReplies && this.fragments.length === 0) {
      this.socket.write(bytes);
      return;
    }
    for (let offset = 0; offset < bytes.length;) {
      const size = 1 + Math.floor(Math.random() * 7);
      this.fragments.push(bytes.subarray(offset, offset + size));
      offset += size;
    }
    if (this.fragments.length > 0 && !this.draining) this.drainFragments();
  }

  private readonly fragments: Buffer[] = [];
  private draining = false;

  private drainFragments(): void {
    const next = this.fragments.shift();
    if (next === undefined || this.closed || this.socket.destroyed) {
      this.draining = false;
      return;
    }
    this.draining = true;
    this.socket.write(next);
    setImmediate(() => {
      this.drainFragments();
    });
  }

  private finish(key: string): void {
    if (this.inFlight.delete(key)) this.router.stats.inFlight--;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const running of this.running.values()) running.stop();
    this.running.clear();
    for (const key of [...this.inFlight]) this.finish(key);
  }
}

/** Devices put `.tag` right after the reply word; clients that route by tag rely on it being there. */
function withTag(words: readonly string[], tag: string | undefined): string[] {
  const [head = '', ...rest] = words;
  return tag === undefined ? [head, ...rest] : [head, tagWord(tag), ...rest];
}
