import { setTimeout as sleepMs } from 'node:timers/promises';
import { OdooError } from './errors';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Random source and sleep, injectable so tests see the delays without waiting for them. */
export interface RetryClock {
  readonly random: () => number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const systemClock: RetryClock = {
  random: Math.random,
  sleep: async (ms, signal) => {
    await sleepMs(ms, undefined, { signal });
  },
};

/**
 * Delay before retry number `retry` (0-based): exponential, capped, with jitter (half fixed, half random) so that many
 * sidecars that lost Odoo at the same moment do not come back in lockstep.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export interface RetryObserver {
  onRetry(error: OdooError, retry: number, delayMs: number): void;
}

/** Runs `attempt` until it succeeds, throws a non-retryable error, or the retries are used up. */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  clock: RetryClock,
  observer?: RetryObserver,
): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof OdooError) || !err.retryable || retry >= policy.retries) throw err;
      const delayMs = backoffDelay(retry, policy, clock.random);
      observer?.onRetry(err, retry + 1, delayMs);
      await clock.sleep(delayMs);
    }
  }
}
