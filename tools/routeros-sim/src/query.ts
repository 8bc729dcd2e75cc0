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

function applyOperations(stack: BoolStack, ops: string): void {
  let index = 0;
  while (index < ops.length) {
    const digits = /^\d+/.exec(ops.slice(index))?.[0];
    if (digits !== undefined) {
      index += digits.length;
      const value = stack.at(Number(digits));
      if (index >= ops.length) {
        stack.replace(value);
        return;
      }
      stack.push(value);
      if (ops[index] === '.') index++;
      continue;
    }
    const op = ops[index++];
    if (op === '!') stack.push(!stack.pop());
    else if (op === '&') stack.push(stack.pop() && stack.pop());
    else if (op === '|') {
      const a = stack.pop();
      const b = stack.pop();
      stack.push(a || b);
    } else if (op === '.') {
      const top = stack.pop();
      stack.push(top);
      stack.push(top);
    }
  }
}

export function matchesQuery(row: Row, queries: readonly string[]): boolean {
  const stack = new BoolStack();
  for (const query of queries) {
    if (query.startsWith('#')) {
      applyOperations(stack, query.slice(1));
      continue;
    }
    const first = query[0];
    if (first === '-') {
      stack.push(row[query.slice(1)] === undefined);
      continue;
    }
    const body = first === '<' || first === '>' || first === '=' ? query.slice(1) : query;
    const split = body.indexOf('=');
    if (split === -1) {
      stack.push(row[body] !== undefined);
      continue;
    }
    const actual = row[body.slice(0, split)];
    const expected = body.slice(split + 1);
    if (first === '<') stack.push(actual !== undefined && compare(actual, expected) < 0);
    else if (first === '>') stack.push(actual !== undefined && compare(actual, expected) > 0);
    else stack.push(same(actual ?? '', expected));
  }
  return stack.allTrue();
}
