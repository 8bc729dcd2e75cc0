/**
 * RouterOS print queries: each word pushes a boolean on a stack that starts as infinitely many
 * `true`s; `?#` words combine them; an item matches when no `false` remains.
 */
type Row = Readonly<Record<string, string>>;

const BOOLEAN_WORDS: Readonly<Record<string, string>> = { yes: 'true', no: 'false' };

function same(actual: string, expected: string): boolean {
  return actual === expected || (BOOLEAN_WORDS[expected] !== undefined && actual === BOOLEAN_WORDS[expected]);
}

function compare(actual: string, expected: string): number {
  const a = Number(actual);
  const b = Number(expected);
  if (actual !== '' && expected !== '' && !Number.isNaN(a) && !Number.isNaN(b)) return a - b;
  return actual < expected ? -1 : actual > expected ? 1 : 0;
}

class BoolStack {
  // Index 0 of `values` is the bottom; below it are infinitely many `true`s.
  private values: boolean[] = [];

  push(value: boolean): void {
    this.values.push(value);
  }

  pop(): boolean {
    return this.values.pop() ?? true;
  }

  at(index: number): boolean {
    return this.values[this.values.length - 1 - index] ?? true;
  }

  replace(value: boolean): void {
    this.values = [value];
  }

  allTrue(): boolean {
    return this.values.every(Boolean);
  }
}

/** One `?#` operation: copy (or, last in its word, keep only) the value at an index, or an operator. */
type StackOperation =
  | { readonly kind: 'index'; readonly index: number; readonly replace: boolean }
  | { readonly kind: 'not' | 'and' | 'or' | 'dup' };

function parseOperations(ops: string): StackOperation[] {
  const parsed: StackOperation[] = [];
  let index = 0;
  while (index < ops.length) {
    let end = index;
    while (end < ops.length && ops.charCodeAt(end) >= 48 && ops.charCodeAt(end) <= 57) end++;
    if (end > index) {
      parsed.push({ kind: 'index', index: Number(ops.slice(index, end)), replace: end >= ops.length });
      index = end;
      if (ops[index] === '.') index++;
      continue;
    }
    const op = ops[index++];
    if (op === '!') parsed.push({ kind: 'not' });
    else if (op === '&') parsed.push({ kind: 'and' });
    else if (op === '|') parsed.push({ kind: 'or' });
    else if (op === '.') parsed.push({ kind: 'dup' });
  }
  return parsed;
}

function applyOperations(stack: BoolStack, ops: readonly StackOperation[]): void {
  for (const op of ops) {
    switch (op.kind) {
      case 'index': {
        const value = stack.at(op.index);
        if (op.replace) stack.replace(value);
        else stack.push(value);
        break;
      }
      case 'not':
        stack.push(!stack.pop());
        break;
      case 'and':
        stack.push(stack.pop() && stack.pop());
        break;
      case 'or': {
        const a = stack.pop();
        const b = stack.pop();
        stack.push(a || b);
        break;
      }
      case 'dup': {
        const top = stack.pop();
        stack.push(top);
        stack.push(top);
        break;
      }
    }
  }
}

/** A query word, parsed once per command instead of once per item. */
type QueryWord =
  | { readonly kind: 'ops'; readonly ops: readonly StackOperation[] }
  | { readonly kind: 'has' | 'lacks'; readonly name: string }
  | { readonly kind: '=' | '<' | '>'; readonly name: string; readonly value: string };

function parseWord(query: string): QueryWord {
  if (query.startsWith('#')) return { kind: 'ops', ops: parseOperations(query.slice(1)) };
  const first = query[0];
  if (first === '-') return { kind: 'lacks', name: query.slice(1) };
  const body = first === '<' || first === '>' || first === '=' ? query.slice(1) : query;
  const split = body.indexOf('=');
  if (split === -1) return { kind: 'has', name: body };
  const kind = first === '<' || first === '>' ? first : '=';
  return { kind, name: body.slice(0, split), value: body.slice(split + 1) };
}

/** The properties a query reads, so that a print renders them even when `.proplist` leaves them out. */
export function queriedProperties(queries: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const word of queries.map(parseWord)) if (word.kind !== 'ops') names.add(word.name);
  return names;
}

/** Parses the query words of one command into a predicate over printed rows. */
export function compileQuery(queries: readonly string[]): (row: Row) => boolean {
  if (queries.length === 0) return () => true;
  const words = queries.map(parseWord);
  return (row) => {
    const stack = new BoolStack();
    for (const word of words) {
      switch (word.kind) {
        case 'ops':
          applyOperations(stack, word.ops);
          break;
        case 'has':
          stack.push(row[word.name] !== undefined);
          break;
        case 'lacks':
          stack.push(row[word.name] === undefined);
          break;
        case '=':
          stack.push(same(row[word.name] ?? '', word.value));
          break;
        case '<': {
          const actual = row[word.name];
          stack.push(actual !== undefined && compare(actual, word.value) < 0);
          break;
        }
        case '>': {
          const actual = row[word.name];
          stack.push(actual !== undefined && compare(actual, word.value) > 0);
          break;
        }
      }
    }
    return stack.allTrue();
  };
}
