/** One progress line per step, in the same voice as scripts/bootstrap.mjs. */
export function say(message: string): void {
  console.log(`[flowline] ${message}`);
}
