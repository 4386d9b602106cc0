/*
 * Durations of waits and approval timeouts: "30s", "5m", "2h", "7d", "1w", "1h30m", "500ms",
 * ISO 8601 "PT1H30M" / "P1DT12H" / "P2W", or a number of milliseconds. Years and months are
 * refused: their length depends on the calendar, so "wait 1 month" would be ambiguous.
 */

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** Ten years: far beyond any real wait, small enough to catch a unit mistake. */
export const MAX_DURATION_MS = 3_650 * UNIT_MS.d;

export type DurationResult = { ok: true; ms: number } | { ok: false; problem: string };

const SHORTHAND = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;
const SHORTHAND_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;
const ISO = /^P(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;
const ISO_CALENDAR = /^P(?:\d+(?:[.,]\d+)?Y)|^P[^T]*\d(?:[.,]\d+)?M/;

const EXPECTED = 'expected a duration such as "30s", "5m", "2h", "7d", "PT1H30M" or a number of milliseconds';

export function parseDuration(input: unknown): DurationResult {
  if (typeof input === 'number') return checkRange(input, `${input}`);
  if (typeof input !== 'string') return { ok: false, problem: EXPECTED };
  const text = input.trim();
  if (text.length === 0 || text.length > 64) return { ok: false, problem: EXPECTED };
  if (/^\d+$/.test(text)) return checkRange(Number(text), text);
  const lower = text.toLowerCase();
  if (SHORTHAND.test(lower)) {
    let ms = 0;
    for (const [, amount, unit] of lower.matchAll(SHORTHAND_PART)) ms += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
    return checkRange(Math.round(ms), text);
  }
  const upper = text.toUpperCase();
  if (ISO_CALENDAR.test(upper)) {
    return { ok: false, problem: `"${text}": years and months vary in length; use days or weeks` };
  }
  const iso = ISO.exec(upper);
  if (iso && upper !== 'P' && !upper.endsWith('T')) {
    const [, w, d, h, m, s] = iso.map((part) => (part === undefined ? 0 : Number(part.replace(',', '.'))));
    const ms = (w ?? 0) * UNIT_MS.w + (d ?? 0) * UNIT_MS.d + (h ?? 0) * UNIT_MS.h + (m ?? 0) * UNIT_MS.m + (s ?? 0) * UNIT_MS.s;
    return checkRange(Math.round(ms), text);
  }
  return { ok: false, problem: `"${text}": ${EXPECTED}` };
}

function checkRange(ms: number, shown: string): DurationResult {
  if (!Number.isFinite(ms) || !Number.isInteger(ms)) return { ok: false, problem: `${shown}: a number of milliseconds must be a whole number` };
  if (ms < 1) return { ok: false, problem: `${shown}: a duration must be longer than zero` };
  if (ms > MAX_DURATION_MS) return { ok: false, problem: `${shown}: a duration must be at most 3650 days` };
  return { ok: true, ms };
}
