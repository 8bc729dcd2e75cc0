import { SimError } from './errors';

/**
 * A small interpreter for the RouterOS scripting the simulator must run: lease scripts and
 * /system/script sources that call `/tool fetch`. Supported: `:local`/`:global`/`:set`,
 * `:if (…) do={…} else={…}`, `:do {…} on-error={…}`, `:log`/`:put` (ignored), strings with
 * `$var` / `$"var-name"` interpolation, `( … . … )` concatenation, `=`, `!=`, `&&`, `||`,
 * `[/menu get prop]` on singleton menus, `[:parse "…"]` functions called as `[$name]` with
 * `:return`, and `/tool fetch key=value …`. Anything else raises ISP_ERR_SIM_SCRIPT, so a script
 * the simulator cannot run fails loudly instead of silently.
 *
 * As on RouterOS, a script is compiled before it runs: a `[/menu …]` the router lacks refuses
 * the whole script (`bad command name …`) before its first line. Code inside a `:parse` string
 * is compiled only when `:parse` runs, so there the same error is a run-time one that
 * `:do { … } on-error={ … }` catches.
 */
export interface ScriptHost {
  fetch(args: Readonly<Record<string, string>>): Promise<void>;
  /** Reads a property of a singleton menu (`/system/identity` `name`). */
  get(menu: string, property: string): string | undefined;
  /** Whether the router has this menu (a CHR has no `/system/routerboard`). */
  hasMenu(menu: string): boolean;
}

type Token =
  | { readonly kind: 'string'; readonly parts: readonly (string | { readonly variable: string })[] }
  | { readonly kind: 'var'; readonly name: string }
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'punct'; readonly text: string }
  | { readonly kind: 'end' };

const PUNCT = ['!=', '&&', '||', '(', ')', '{', '}', '[', ']', '=', ';', '\n'];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const text = source.replace(/\\\r?\n/g, ' ');
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '#' && (tokens.length === 0 || tokens.at(-1)?.kind === 'punct')) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"') {
      const parts: (string | { variable: string })[] = [];
      let literal = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        const d = text.charAt(i);
        if (d === '\\') {
          const next = text.charAt(i + 1);
          literal += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          i += 2;
        } else if (d === '$') {
          const variable = readVariable(text, i + 1);
          parts.push(literal, { variable: variable.name });
          literal = '';
          i = variable.end;
        } else {
          literal += d;
          i++;
        }
      }
      if (i >= text.length) throw new SimError('ISP_ERR_SIM_SCRIPT', 'unterminated string');
      parts.push(literal);
      tokens.push({ kind: 'string', parts });
      i++;
    } else if (c === '$') {
      const variable = readVariable(text, i + 1);
      tokens.push({ kind: 'var', name: variable.name });
      i = variable.end;
    } else {
      const punct = PUNCT.find((p) => text.startsWith(p, i));
      if (punct !== undefined) {
        tokens.push({ kind: 'punct', text: punct });
        i += punct.length;
        continue;
      }
      let end = i;
      while (end < text.length && !/[\s"$(){}[\];=]/.test(text.charAt(end)) && !text.startsWith('!=', end))
        end++;
      if (end === i) throw new SimError('ISP_ERR_SIM_SCRIPT', `unexpected character ${JSON.stringify(c)}`);
      tokens.push({ kind: 'word', text: text.slice(i, end) });
      i = end;
    }
  }
  tokens.push({ kind: 'end' });
  return tokens;
}

function readVariable(text: string, start: number): { name: string; end: number } {
  if (text[start] === '"') {
    const close = text.indexOf('"', start + 1);
    if (close === -1) throw new SimError('ISP_ERR_SIM_SCRIPT', 'unterminated variable name');
    return { name: text.slice(start + 1, close), end: close + 1 };
  }
  let end = start;
  while (end < text.length && /[A-Za-z0-9_-]/.test(text.charAt(end))) end++;
  return { name: text.slice(start, end), end };
}

/** A function made by `:parse`: code compiled against the router, run by `[$name]`. */
class ParsedCode {
  constructor(readonly tokens: readonly Token[]) {}
}

type Value = string | ParsedCode;

/** `:return` unwinding to the function call that ran it (an Error only to satisfy `throw`). */
class ReturnSignal extends Error {
  constructor(readonly value: Value) {
    super(':return');
  }
}

function text(value: Value): string {
  if (value instanceof ParsedCode)
    throw new SimError('ISP_ERR_SIM_SCRIPT', 'a :parse function used as a value (call it with [$name])');
  return value;
}

class Interpreter {
  private pos = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly variables: Map<string, Value>,
    private readonly host: ScriptHost,
  ) {}

  async block(closing: string | undefined): Promise<void> {
    for (;;) {
      const token = this.peek();
      if (token.kind === 'end') {
        if (closing !== undefined) throw new SimError('ISP_ERR_SIM_SCRIPT', `missing ${closing}`);
        return;
      }
      if (token.kind === 'punct' && token.text === closing) {
        this.pos++;
        return;
      }
      if (token.kind === 'punct' && (token.text === ';' || token.text === '\n')) {
        this.pos++;
        continue;
      }
      await this.statement();
    }
  }

  /** Runs the whole token list as a function body: its `:return` value, else empty. */
  async call(): Promise<Value> {
    try {
      await this.block(undefined);
      return '';
    } catch (signal) {
      if (signal instanceof ReturnSignal) return signal.value;
      throw signal;
    }
  }

  /** Skips a `{ … }` body without running it. */
  private skipBody(): void {
    this.expectPunct('{');
    let depth = 1;
    while (depth > 0) {
      const token = this.next();
      if (token.kind === 'end') throw new SimError('ISP_ERR_SIM_SCRIPT', 'missing }');
      if (token.kind === 'punct' && token.text === '{') depth++;
      if (token.kind === 'punct' && token.text === '}') depth--;
    }
  }

  private async body(run: boolean): Promise<void> {
    if (!run) {
      this.skipBody();
      return;
    }
    this.expectPunct('{');
    await this.block('}');
  }

  private async statement(): Promise<void> {
    const token = this.next();
    if (token.kind !== 'word') throw new SimError('ISP_ERR_SIM_SCRIPT', `unexpected ${describe(token)}`);
    switch (token.text) {
      case ':local':
      case ':global':
      case ':set': {
        const name = this.next();
        if (name.kind !== 'word') throw new SimError('ISP_ERR_SIM_SCRIPT', `${token.text} needs a name`);
        this.variables.set(name.text, this.atEndOfStatement() ? '' : await this.value());
        return;
      }
      case ':return':
        throw new ReturnSignal(this.atEndOfStatement() ? '' : await this.expression());
      case ':if': {
        const condition = truthy(text(await this.value()));
        this.expectWord('do');
        this.expectPunct('=');
        await this.body(condition);
        if (this.peekWord('else')) {
          this.pos++;
          this.expectPunct('=');
          await this.body(!condition);
        }
        return;
      }
      case ':do': {
        const start = this.pos;
        let failed = false;
        try {
          await this.body(true);
        } catch (error) {
          // What the simulator cannot run, and `:return`, are not errors of the script.
          if (error instanceof ReturnSignal) throw error;
          if (error instanceof SimError && error.code === 'ISP_ERR_SIM_SCRIPT') throw error;
          failed = true;
          this.pos = start;
          this.skipBody();
        }
        if (this.peekWord('on-error')) {
          this.pos++;
          this.expectPunct('=');
          await this.body(failed);
        } else if (failed) {
          throw new SimError('ISP_ERR_SIM_SCRIPT', 'command failed');
        }
        return;
      }
      case ':log':
      case ':put':
        while (!this.atEndOfStatement()) await this.value();
        return;
      case '/tool':
        this.expectWord('fetch');
        await this.fetch();
        return;
      case '/tool/fetch':
        await this.fetch();
        return;
      default:
        throw new SimError('ISP_ERR_SIM_SCRIPT', `unsupported command ${token.text}`);
    }
  }

  private async fetch(): Promise<void> {
    const args: Record<string, string> = {};
    while (!this.atEndOfStatement()) {
      const name = this.next();
      if (name.kind !== 'word')
        throw new SimError('ISP_ERR_SIM_SCRIPT', `unexpected ${describe(name)} in /tool fetch`);
      this.expectPunct('=');
      args[name.text] = text(await this.value());
    }
    await this.host.fetch(args);
  }

  /** A single value: string, variable, word, `[…]` or a parenthesised expression. */
  private async value(): Promise<Value> {
    const token = this.next();
    if (token.kind === 'string')
      return token.parts
        .map((part) => (typeof part === 'string' ? part : text(this.variable(part.variable))))
        .join('');
    if (token.kind === 'var') return this.variable(token.name);
    if (token.kind === 'word') return token.text;
    if (token.kind === 'punct' && token.text === '(') {
      const result = await this.expression();
      this.expectPunct(')');
      return result;
    }
    if (token.kind === 'punct' && token.text === '[') return this.substitution();
    throw new SimError('ISP_ERR_SIM_SCRIPT', `unexpected ${describe(token)}`);
  }

  private async expression(): Promise<Value> {
    let left = await this.comparison();
    for (;;) {
      const token = this.peek();
      const op = token.kind === 'punct' || token.kind === 'word' ? token.text : '';
      if (op !== '&&' && op !== '||' && op !== 'and' && op !== 'or') return left;
      this.pos++;
      const right = text(await this.comparison());
      left =
        op === '&&' || op === 'and'
          ? bool(truthy(text(left)) && truthy(right))
          : bool(truthy(text(left)) || truthy(right));
    }
  }

  private async comparison(): Promise<Value> {
    const left = await this.concatenation();
    const token = this.peek();
    if (token.kind === 'punct' && (token.text === '=' || token.text === '!=')) {
      this.pos++;
      const right = text(await this.concatenation());
      return bool(token.text === '=' ? text(left) === right : text(left) !== right);
    }
    return left;
  }

  private async concatenation(): Promise<Value> {
    let result = await this.value();
    while (this.peekWord('.')) {
      this.pos++;
      result = text(result) + text(await this.value());
    }
    return result;
  }

  /** `[/menu get property]`, `[:parse "…"]` or a function call `[$name]`. */
  private async substitution(): Promise<Value> {
    const first = this.peek();
    if (first.kind === 'var') {
      this.pos++;
      this.expectPunct(']');
      const code = this.variable(first.name);
      if (!(code instanceof ParsedCode))
        throw new SimError('ISP_ERR_SIM_SCRIPT', `$${first.name} is not a :parse function`);
      return new Interpreter(code.tokens, new Map(), this.host).call();
    }
    if (first.kind === 'word' && first.text === ':parse') {
      this.pos++;
      const source = text(await this.value());
      this.expectPunct(']');
      return new ParsedCode(compile(source, this.host));
    }
    const words: string[] = [];
    for (;;) {
      const token = this.next();
      if (token.kind === 'punct' && token.text === ']') break;
      if (token.kind !== 'word') throw new SimError('ISP_ERR_SIM_SCRIPT', 'unsupported command substitution');
      words.push(token.text);
    }
    const [path, verb, property] = words.length === 2 ? [...splitGet(words[0] ?? ''), words[1]] : words;
    if (path === undefined || verb !== 'get' || property === undefined) {
      throw new SimError('ISP_ERR_SIM_SCRIPT', `unsupported command substitution [${words.join(' ')}]`);
    }
    return this.host.get(path.replace(/ /g, '/'), property) ?? '';
  }

  private variable(name: string): Value {
    return this.variables.get(name) ?? '';
  }

  private atEndOfStatement(): boolean {
    const token = this.peek();
    return token.kind === 'end' || (token.kind === 'punct' && [';', '\n', '}'].includes(token.text));
  }

  private peek(): Token {
    return this.tokens[this.pos] ?? { kind: 'end' };
  }

  private next(): Token {
    const token = this.peek();
    this.pos++;
    return token;
  }

  private peekWord(text: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.text === text;
  }

  private expectWord(text: string): void {
    const token = this.next();
    if (token.kind !== 'word' || token.text !== text)
      throw new SimError('ISP_ERR_SIM_SCRIPT', `expected ${text}, got ${describe(token)}`);
  }

  private expectPunct(text: string): void {
    const token = this.next();
    if (token.kind !== 'punct' || token.text !== text)
      throw new SimError('ISP_ERR_SIM_SCRIPT', `expected ${text}, got ${describe(token)}`);
  }
}

function splitGet(word: string): [string | undefined, string | undefined] {
  const at = word.lastIndexOf('/get');
  return at > 0 && at === word.length - 4 ? [word.slice(0, at), 'get'] : [undefined, undefined];
}

function bool(value: boolean): string {
  return value ? 'true' : 'false';
}

function truthy(value: string): boolean {
  return value !== '' && value !== 'false' && value !== '0' && value !== 'no';
}

function describe(token: Token): string {
  return token.kind === 'end'
    ? 'end of script'
    : token.kind === 'string'
      ? 'string'
      : token.kind === 'var'
        ? `$${token.name}`
        : JSON.stringify(token.text);
}

/**
 * Tokens of `source`, compiled as RouterOS does before running anything: every `[/menu …]` must
 * name a menu this router has, else `bad command name <menu>` (a plain error: inside `:parse` it
 * is the script's own run-time error, which `on-error` catches).
 */
function compile(source: string, host: ScriptHost): Token[] {
  // `[/system identity get name]` arrives as words `/system`, `identity`, `get`: join the path.
  const merged: Token[] = [];
  for (const token of tokenize(source)) {
    const last = merged.at(-1);
    const beforeLast = merged.at(-2);
    if (
      token.kind === 'word' &&
      last?.kind === 'word' &&
      last.text.startsWith('/') &&
      last.text !== '/tool' &&
      beforeLast?.kind === 'punct' &&
      beforeLast.text === '[' &&
      token.text !== 'get'
    ) {
      merged[merged.length - 1] = { kind: 'word', text: `${last.text}/${token.text}` };
      continue;
    }
    merged.push(token);
  }
  merged.forEach((token, index) => {
    const previous = merged[index - 1];
    if (token.kind !== 'word' || !token.text.startsWith('/')) return;
    if (previous?.kind === 'punct' && previous.text === '[') {
      const menu = splitGet(token.text)[0] ?? token.text;
      if (!host.hasMenu(menu)) throw new Error(`bad command name ${menu.split('/').at(-1) ?? menu}`);
    } else if (previous === undefined || (previous.kind === 'punct' && STATEMENT_START.has(previous.text))) {
      checkCommand(merged, index, host);
    }
  });
  return merged;
}

const STATEMENT_START: ReadonlySet<string> = new Set(['\n', ';', '{']);
// Menu commands: a word after a menu path that is one of these is the command, not a bad name.
const VERBS: ReadonlySet<string> = new Set([
  'add',
  'comment',
  'disable',
  'edit',
  'enable',
  'export',
  'find',
  'get',
  'make-static',
  'monitor',
  'move',
  'print',
  'remove',
  'reset',
  'run',
  'set',
  'sign',
  'unset',
]);

/**
 * A command line `/menu sub … verb …` (or `/menu/sub/verb …`): the words after the path extend it
 * while they are menus; the first one that is neither a menu, an argument (`name=`) nor a verb
 * is a bad command name.
 */
function checkCommand(tokens: readonly Token[], start: number, host: ScriptHost): void {
  const first = tokens[start];
  if (first?.kind !== 'word') return;
  let path = '';
  const segments = first.text.split('/').filter(Boolean);
  for (const [index, segment] of segments.entries()) {
    if (host.hasMenu(`${path}/${segment}`)) path = `${path}/${segment}`;
    else if (index === segments.length - 1 && path !== '' && VERBS.has(segment)) return;
    else throw new Error(`bad command name ${segment}`);
  }
  for (let index = start + 1; ; index++) {
    const token = tokens[index];
    const following = tokens[index + 1];
    if (token?.kind !== 'word' || (following?.kind === 'punct' && following.text === '=')) return;
    if (host.hasMenu(`${path}/${token.text}`)) {
      path = `${path}/${token.text}`;
      continue;
    }
    if (!VERBS.has(token.text)) throw new Error(`bad command name ${token.text}`);
    return;
  }
}

/** Runs `source` with the given variables; resolves when every fetch it made has finished. */
export async function runScript(
  source: string,
  variables: Readonly<Record<string, string>>,
  host: ScriptHost,
): Promise<void> {
  const tokens = compile(source, host);
  // A top-level `:return` ends the script, as in a function.
  await new Interpreter(tokens, new Map(Object.entries(variables)), host).call();
}
