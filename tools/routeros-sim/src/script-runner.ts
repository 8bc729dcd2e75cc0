import { SimError } from './errors';

/**
 * A small interpreter for the RouterOS scripting the simulator must run: lease scripts and
 * /system/script sources that call `/tool fetch`. Supported: `:local`/`:global`/`:set`,
 * `:if (…) do={…} else={…}`, `:do {…} on-error={…}`, `:log`/`:put` (ignored), strings with
 * `$var` / `$"var-name"` interpolation, `( … . … )` concatenation, `=`, `!=`, `&&`, `||`,
 * `[/menu get prop]` on singleton menus, and `/tool fetch key=value …`. Anything else raises
 * ISP_ERR_SIM_SCRIPT, so a script the simulator cannot run fails loudly instead of silently.
 */
export interface ScriptHost {
  fetch(args: Readonly<Record<string, string>>): Promise<void>;
  /** Reads a property of a singleton menu (`/system/identity` `name`). */
  get(menu: string, property: string): string | undefined;
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

class Interpreter {
  private pos = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly variables: Map<string, string>,
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
        this.variables.set(name.text, this.atEndOfStatement() ? '' : this.value());
        return;
      }
      case ':if': {
        const condition = truthy(this.value());
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
        while (!this.atEndOfStatement()) this.value();
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
      args[name.text] = this.value();
    }
    await this.host.fetch(args);
  }

  /** A single value: string, variable, word, `[…]` or a parenthesised expression. */
  private value(): string {
    const token = this.next();
    if (token.kind === 'string')
      return token.parts
        .map((part) => (typeof part === 'string' ? part : this.variable(part.variable)))
        .join('');
    if (token.kind === 'var') return this.variable(token.name);
    if (token.kind === 'word') return token.text;
    if (token.kind === 'punct' && token.text === '(') {
      const result = this.expression();
      this.expectPunct(')');
      return result;
    }
    if (token.kind === 'punct' && token.text === '[') return this.substitution();
    throw new SimError('ISP_ERR_SIM_SCRIPT', `unexpected ${describe(token)}`);
  }

  private expression(): string {
    let left = this.comparison();
    for (;;) {
      const token = this.peek();
      const op = token.kind === 'punct' || token.kind === 'word' ? token.text : '';
      if (op !== '&&' && op !== '||' && op !== 'and' && op !== 'or') return left;
      this.pos++;
      const right = this.comparison();
      left =
        op === '&&' || op === 'and'
          ? bool(truthy(left) && truthy(right))
          : bool(truthy(left) || truthy(right));
    }
  }

  private comparison(): string {
    const left = this.concatenation();
    const token = this.peek();
    if (token.kind === 'punct' && (token.text === '=' || token.text === '!=')) {
      this.pos++;
      const right = this.concatenation();
      return bool(token.text === '=' ? left === right : left !== right);
    }
    return left;
  }

  private concatenation(): string {
    let result = this.value();
    while (this.peekWord('.')) {
      this.pos++;
      result += this.value();
    }
    return result;
  }

  private substitution(): string {
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

  private variable(name: string): string {
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

/** Runs `source` with the given variables; resolves when every fetch it made has finished. */
export async function runScript(
  source: string,
  variables: Readonly<Record<string, string>>,
  host: ScriptHost,
): Promise<void> {
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
  await new Interpreter(merged, new Map(Object.entries(variables)), host).block(undefined);
}
