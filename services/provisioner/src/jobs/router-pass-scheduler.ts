/** Drives passes over routers: at most one at a time per router, work arriving meanwhile merged. */
export interface RouterPassScheduler<T, R> {
  /** Runs `items` in the router's next pass; resolves with what that pass produced for all its items. */
  run(deviceId: number, items: readonly T[]): Promise<R>;
}

export interface RouterPassSchedulerOptions<T, R> {
  /**
   * Runs `work` while holding the router against every other worker (its Postgres lock); `lost`
   * aborts if the hold ends underneath it.
   */
  readonly hold: <X>(deviceId: number, work: (lost: AbortSignal) => Promise<X>) => Promise<X>;
  /** One pass over the router for `items`, run under the hold; it must stop once `lost` aborts. */
  readonly pass: (deviceId: number, items: readonly T[], lost: AbortSignal) => Promise<R>;
  /** The result of items whose pass threw or whose router could not be held. */
  readonly failed: (deviceId: number, items: readonly T[], error: unknown) => R;
  /**
   * How long a hold waits for more work once nothing is waiting, before releasing the router: work
   * that arrives meanwhile (the next batch of a burst) runs without a new lock round trip.
   */
  readonly lingerMs: number;
  /** How long one hold keeps running passes; past this the router is released for other replicas. */
  readonly maxHoldMs: number;
}

interface Waiting<T, R> {
  readonly items: readonly T[];
  resolve(result: R): void;
}

interface RouterQueue<T, R> {
  readonly waiting: Waiting<T, R>[];
  /** Set while a hold lingers: ends the linger when work arrives. */
  wake: (() => void) | undefined;
}

/**
 * Work for a router that arrives while a pass over it runs waits for the next pass, which takes
 * everything waiting: concurrent batches share one pass — one set of menu reads and Odoo calls —
 * instead of queueing one by one on the router's lock. Nothing waits behind more than the pass
 * already running.
 */
export function createRouterPassScheduler<T, R>(
  options: RouterPassSchedulerOptions<T, R>,
): RouterPassScheduler<T, R> {
  const queues = new Map<number, RouterQueue<T, R>>();

  function settle(group: readonly Waiting<T, R>[], result: R): void {
    for (const w of group) w.resolve(result);
  }

  async function runGroup(
    deviceId: number,
    group: readonly Waiting<T, R>[],
    lost: AbortSignal,
  ): Promise<void> {
    const items = group.flatMap((w) => w.items);
    let result: R;
    try {
      result = await options.pass(deviceId, items, lost);
    } catch (error) {
      result = options.failed(deviceId, items, error);
    }
    settle(group, result);
  }

  function linger(queue: RouterQueue<T, R>): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        queue.wake = undefined;
        resolve();
      }, options.lingerMs);
      queue.wake = () => {
        clearTimeout(timer);
        queue.wake = undefined;
        resolve();
      };
    });
  }

  async function drive(deviceId: number, queue: RouterQueue<T, R>): Promise<void> {
    const { waiting } = queue;
    while (waiting.length > 0) {
      try {
        await options.hold(deviceId, async (lost) => {
          const heldSince = performance.now();
          // A lost hold takes no more work: what waits goes to the next hold, under a new lock.
          while (waiting.length > 0 && !lost.aborted) {
            await runGroup(deviceId, waiting.splice(0), lost);
            if (performance.now() - heldSince >= options.maxHoldMs) return;
            if (waiting.length === 0) await linger(queue);
          }
        });
      } catch (error) {
        // The router could not be held: what waits now gets the failure; later work tries again.
        const group = waiting.splice(0);
        settle(
          group,
          options.failed(
            deviceId,
            group.flatMap((w) => w.items),
            error,
          ),
        );
      }
    }
    // Nothing was added since the loop's last check: that check and this line run in one turn.
    queues.delete(deviceId);
  }

  return {
    run: (deviceId, items) =>
      new Promise<R>((resolve) => {
        const queue = queues.get(deviceId);
        if (queue !== undefined) {
          queue.waiting.push({ items, resolve });
          queue.wake?.();
          return;
        }
        const started: RouterQueue<T, R> = { waiting: [{ items, resolve }], wake: undefined };
        queues.set(deviceId, started);
        void drive(deviceId, started);
      }),
  };
}
