import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const lines = (): Record<string, unknown>[] =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { stream, lines };
}

describe(createLogger.name, () => {
  it('redacts secrets at the top level and nested in objects', () => {
    const { stream, lines } = capture();
    const log = createLogger({ name: 'test', destination: stream });
    log.info(
      {
        password: 'hunter2',
        config: { odooApiKey: 'k-123' },
        req: { headers: { authorization: 'Bearer abc' } },
        subscription: { pppoePassword: 'ppp-secret' },
        boss: { connectionString: 'postgres://isp:db-secret@db/isp' },
      },
      'hello',
    );
    const [line] = lines();
    const text = JSON.stringify(line);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('k-123');
    expect(text).not.toContain('ppp-secret');
    expect(text).not.toContain('db-secret');
    expect(text).not.toContain('Bearer abc');
    expect(line).toMatchObject({ name: 'test', msg: 'hello', password: '[redacted]' });
  });

  it('honours the requested level', () => {
    const { stream, lines } = capture();
    const log = createLogger({ name: 'test', level: 'warn', destination: stream });
    log.info('dropped');
    log.warn('kept');
    expect(lines().map((l) => l['msg'])).toEqual(['kept']);
  });
});
