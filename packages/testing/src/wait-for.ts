/**
 * Polls `check` until it holds, failing with `timed out waiting for <what>` after `timeoutMs`. For
 * effects another process or a queue brings about in its own time; never to wait out a fixed delay.
 */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  options: { readonly timeoutMs?: number; readonly intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 45_000);
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}
