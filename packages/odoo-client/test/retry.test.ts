import { describe, expect, it } from 'vitest';
import { OdooError, OdooValidationError } from '../src/errors';
import { backoffDelay, withRetry, type RetryClock } from '../src/retry';

const policy = { retries: 3, baseDelayMs: 100, maxDelayMs: 1_000 };

function recordingClock(random = 0.5): RetryClock & { delays: number[] } {
  const delays: number[] = [];
  return { delays, random: () => random, sleep: (ms) => (delays.push(ms), Promise.resolve()) };
}

describe('backoffDelay', () => {
  it('doubles per retry between half and all of the ceiling', () => {
    expect([0, 1, 2].map((r) => backoffDelay(r, policy, () => 0))).toEqual([50, 100, 200]);
    expect([0, 1, 2].map((r) => backoffDelay(r, policy, () => 1))).toEqual([100, 200, 400]);
  });

  it('never exceeds the cap', () => {
    expect(backoffDelay(20, policy, () => 1)).toBe(1_000);
  });
});

describe('withRetry', () => {
  it('retries network errors with growing delays and returns the first success', async () => {
    const clock = recordingClock();
    let calls = 0;
    const result = await withRetry(
      () => (++calls < 3 ? Promise.reject(new OdooError('ISP_ERR_ODOO_NETWORK')) : Promise.resolve('ok')),
      policy,
      clock,
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(clock.delays).toEqual([75, 150]);
  });

  it('gives up after the configured retries with the last error', async () => {
    const clock = recordingClock();
    let calls = 0;
    const attempt = (): Promise<never> => {
      calls++;
      return Promise.reject(new OdooError('ISP_ERR_ODOO_UNAVAILABLE'));
    };
    await expect(withRetry(attempt, policy, clock)).rejects.toMatchObject({
      code: 'ISP_ERR_ODOO_UNAVAILABLE',
    });
    expect(calls).toBe(4);
    expect(clock.delays).toHaveLength(3);
  });

  it('never retries a fault', async () => {
    const clock = recordingClock();
    let calls = 0;
    const attempt = (): Promise<never> => {
      calls++;
      return Promise.reject(new OdooValidationError({ message: 'bad' }));
    };
    await expect(withRetry(attempt, policy, clock)).rejects.toBeInstanceOf(OdooValidationError);
    expect(calls).toBe(1);
    expect(clock.delays).toEqual([]);
  });

  it('never retries a timeout, since Odoo may still be running the call', async () => {
    let calls = 0;
    const attempt = (): Promise<never> => {
      calls++;
      return Promise.reject(new OdooError('ISP_ERR_ODOO_TIMEOUT'));
    };
    await expect(withRetry(attempt, policy, recordingClock())).rejects.toMatchObject({
      code: 'ISP_ERR_ODOO_TIMEOUT',
    });
    expect(calls).toBe(1);
  });

  it('reports each retry to the observer', async () => {
    const seen: number[] = [];
    let calls = 0;
    await withRetry(
      () => (++calls < 2 ? Promise.reject(new OdooError('ISP_ERR_ODOO_NETWORK')) : Promise.resolve(1)),
      policy,
      recordingClock(),
      { onRetry: (_e, retry) => seen.push(retry) },
    );
    expect(seen).toEqual([1]);
  });
});
