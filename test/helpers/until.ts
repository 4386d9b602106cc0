/**
 * Polls `fn` until it gives a value (not undefined), for state that settles asynchronously
 * (workflows, webhooks, deliveries); throws naming `what` after `timeoutMs`. `ignoreErrors`
 * treats a throwing poll as "not yet" (a server being restarted).
 */
export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number; ignoreErrors?: boolean } | number = {},
): Promise<T> {
  const { timeoutMs = 60_000, intervalMs = 200, ignoreErrors = false } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await (ignoreErrors ? fn().catch(() => undefined) : fn());
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
