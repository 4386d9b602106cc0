/*
 * Commission rates are entered in percent and stored in basis points (12.5 % = 1250). The
 * conversion works on the digits of the text, so no float ever reaches the API: parseFloat
 * would turn "0.29" into 28.999999999999996 basis points.
 */
const PERCENT = /^(\d{1,3})(?:[.,](\d{0,2}))?$/;

/** "12.5" → 1250; "" → null; undefined when the text is not a percentage with at most two decimals. */
export function percentToBps(text: string): number | null | undefined {
  const trimmed = text.trim().replace(/\s*%$/, '');
  if (trimmed === '') return null;
  const m = PERCENT.exec(trimmed);
  if (!m) return undefined;
  const bps = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bps <= 10_000 ? bps : undefined;
}

/** 1250 → "12.5"; null → "". */
export function bpsToPercent(bps: number | null): string {
  if (bps === null) return '';
  const cents = String(bps % 100).padStart(2, '0').replace(/0+$/, '');
  return cents ? `${Math.trunc(bps / 100)}.${cents}` : String(Math.trunc(bps / 100));
}
