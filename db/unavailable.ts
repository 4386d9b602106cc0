/*
 * "The database cannot be reached right now", as opposed to "the database refused this": the
 * first is worth waiting out (a restart, a failover, a dropped connection), the second is not.
 */

/** postgres.js's own connection error codes, and the socket errors it passes through. */
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT',
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server going away or not taking connections yet: class 08 (connection
 * exception), 57P01-57P03 (admin/crash shutdown, cannot connect now), 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;

export function isDatabaseUnavailable(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
