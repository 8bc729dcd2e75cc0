import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createRouterPassScheduler,
  type RouterPassSchedulerOptions,
} from '../../src/jobs/router-pass-scheduler';

/** A pass that stays open until the test releases it, recording what it was given. */
class ControlledPasses {
  readonly calls: { deviceId: number; items: readonly string[] }[] = [];
  private readonly releases: (() => void)[] = [];
  active = 0;
  maxActive = 0;

  pass = async (deviceId: number, items: readonly string[]): Promise<string> => {
    const number = this.calls.push({ deviceId, items });
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    await new Promise<void>((resolve) => this.releases.push(resolve));
    this.active--;
    return `pass ${number}: ${items.join(',')}`;
  };

  releaseAll(): void {
    for (const release of this.releases.splice(0)) release();
  }
}

/** Counts holds taken and released, like the Postgres lock would be, and can lose the current one. */
class CountingHolds {
  taken = 0;
  released = 0;
  refuse: Error | undefined;
  private current: AbortController | undefined;

  hold = async <X>(_deviceId: number, work: (lost: AbortSignal) => Promise<X>): Promise<X> => {
    if (this.refuse !== undefined) throw this.refuse;
    this.taken++;
    this.current = new AbortController();
    try {
      return await work(this.current.signal);
    } finally {
      this.released++;
    }
  };

  loseCurrent(): void {
    this.current?.abort(new Error('session ended'));
  }
}

const settle = async (): Promise<void> => {
  await vi.advanceTimersByTimeAsync(0);
};

function scheduler(
  passes: ControlledPasses,
  holds: CountingHolds,
  options: Partial<RouterPassSchedulerOptions<string, string>> = {},
) {
  return createRouterPassScheduler<string, string>({
    hold: holds.hold,
    pass: passes.pass,
    failed: (_deviceId, items, error) => `failed ${items.join(',')}: ${(error as Error).message}`,
    lingerMs: 0,
    maxHoldMs: 1_000,
    ...options,
  });
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe(createRouterPassScheduler.name, () => {
  it('runs work that arrives during a pass together in the next one, one pass per router at a time', async () => {
    const passes = new ControlledPasses();
    const passesOf = scheduler(passes, new CountingHolds());
    const first = passesOf.run(1, ['a']);
    await settle();
    const second = passesOf.run(1, ['b']);
    const third = passesOf.run(1, ['c', 'd']);
    await settle();
    expect(passes.calls).toEqual([{ deviceId: 1, items: ['a'] }]);

    passes.releaseAll();
    await expect(first).resolves.toBe('pass 1: a');
    await settle();
    expect(passes.calls[1]).toEqual({ deviceId: 1, items: ['b', 'c', 'd'] });
    passes.releaseAll();
    await expect(second).resolves.toBe('pass 2: b,c,d');
    await expect(third).resolves.toBe('pass 2: b,c,d');
    expect(passes.maxActive).toBe(1);
  });

  it('drives different routers at the same time', async () => {
    const passes = new ControlledPasses();
    const passesOf = scheduler(passes, new CountingHolds());
    const results = [passesOf.run(1, ['a']), passesOf.run(2, ['b'])];
    await settle();
    expect(passes.active).toBe(2);
    passes.releaseAll();
    await expect(Promise.all(results)).resolves.toEqual(['pass 1: a', 'pass 2: b']);
  });

  it('gives the waiting work the failed result when the router cannot be held, and holds it again later', async () => {
    const passes = new ControlledPasses();
    const holds = new CountingHolds();
    const passesOf = scheduler(passes, holds);
    holds.refuse = new Error('router 1 is busy with another worker');
    await expect(passesOf.run(1, ['a', 'b'])).resolves.toBe(
      'failed a,b: router 1 is busy with another worker',
    );
    expect(passes.calls).toEqual([]);

    holds.refuse = undefined;
    const later = passesOf.run(1, ['c']);
    await settle();
    passes.releaseAll();
    await expect(later).resolves.toBe('pass 1: c');
  });

  it('gives the failed result to the work of a pass that throws, and goes on with the next', async () => {
    let calls = 0;
    const passesOf = createRouterPassScheduler<string, string>({
      hold: new CountingHolds().hold,
      pass: (_deviceId, items) => {
        calls++;
        return calls === 1 ? Promise.reject(new Error('Odoo unreachable')) : Promise.resolve(items.join(','));
      },
      failed: (_deviceId, items, error) => `failed ${items.join(',')}: ${(error as Error).message}`,
      lingerMs: 0,
      maxHoldMs: 1_000,
    });
    await expect(passesOf.run(1, ['a'])).resolves.toBe('failed a: Odoo unreachable');
    await expect(passesOf.run(1, ['b'])).resolves.toBe('b');
  });

  it('keeps holding the router for work that arrives within the linger, then lets it go', async () => {
    const passes = new ControlledPasses();
    const holds = new CountingHolds();
    const passesOf = scheduler(passes, holds, { lingerMs: 50 });
    const first = passesOf.run(1, ['a']);
    await settle();
    passes.releaseAll();
    await first;
    await vi.advanceTimersByTimeAsync(20);
    const second = passesOf.run(1, ['b']);
    await settle();
    passes.releaseAll();
    await second;
    expect(holds).toMatchObject({ taken: 1, released: 0 });

    await vi.advanceTimersByTimeAsync(50);
    expect(holds).toMatchObject({ taken: 1, released: 1 });
    const third = passesOf.run(1, ['c']);
    await settle();
    passes.releaseAll();
    await third;
    expect(holds.taken).toBe(2);
  });

  it('runs no more work under a hold that was lost: what waits goes to a new hold', async () => {
    const passes = new ControlledPasses();
    const holds = new CountingHolds();
    const passesOf = scheduler(passes, holds, { lingerMs: 50 });
    const first = passesOf.run(1, ['a']);
    await settle();
    holds.loseCurrent();
    const second = passesOf.run(1, ['b']);
    passes.releaseAll();
    await first;
    await settle();
    expect(holds).toMatchObject({ taken: 2, released: 1 });
    passes.releaseAll();
    await expect(second).resolves.toBe('pass 2: b');
  });

  it('releases the router after the longest hold even while work keeps arriving', async () => {
    const holds = new CountingHolds();
    const passesOf = createRouterPassScheduler<string, string>({
      hold: holds.hold,
      pass: async (_deviceId, items) => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        return items.join(',');
      },
      failed: () => 'failed',
      lingerMs: 50,
      maxHoldMs: 100,
    });
    const results: Promise<string>[] = [];
    for (let tick = 0; tick < 30; tick++) {
      results.push(passesOf.run(1, [String(tick)]));
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(200);
    await Promise.all(results);
    expect(holds.taken).toBeGreaterThanOrEqual(3);
    expect(holds.released).toBe(holds.taken);
  });
});
