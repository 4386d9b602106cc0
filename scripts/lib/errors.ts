/** A start-up failure the user can fix: printed as one sentence, without a stack trace. */
export class StartupError extends Error {
  override name = 'StartupError';
}
