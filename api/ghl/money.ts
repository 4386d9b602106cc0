// Money from GHL payloads as integer minor units, parsed exactly (never through float arithmetic).
//
// Minor-unit digits follow ISO 4217: most currencies have 2, the ones below 0, 3 or 4. A
// zero-decimal currency has no minor unit, so JPY 1250 → 1250 and "1250.50" JPY is refused;
// 3-decimal currencies (KWD...) give 1.250 → 1250. Stripe's own exceptions (it bills HUF and
// TWD as 2-decimal but settles them as 0) do not apply to amounts GHL reports in major units.
const ZERO_DECIMAL = ['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'];
const THREE_DECIMAL = ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'];
const FOUR_DECIMAL = ['CLF', 'UYW'];

const CURRENCY = /^[A-Z]{3}$/;

/** ISO 4217 minor-unit digits for a currency code; undefined for something that is not a code. */
export function minorUnitDigits(currency: string): number | undefined {
  const code = currency.trim().toUpperCase();
  if (!CURRENCY.test(code)) return undefined;
  if (ZERO_DECIMAL.includes(code)) return 0;
  if (THREE_DECIMAL.includes(code)) return 3;
  if (FOUR_DECIMAL.includes(code)) return 4;
  return 2;
}

// Plain digits, or digits grouped by commas in threes ("1,250"), then an optional fraction.
// Other locales' separators ("1.250,50") are refused rather than guessed.
const DECIMAL = /^(-)?(\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$/;
// What String(number) produces for very large or very small numbers: 1e+21, 1.5e-7.
const EXPONENT = /^(-)?(\d+)(?:\.(\d+))?e([+-]\d+)$/;

/** A number's shortest round-trip decimal (what the sender wrote in the JSON), as digits + exponent. */
function numberDigits(value: number): { negative: boolean; whole: string; fraction: string } | undefined {
  if (!Number.isFinite(value)) return undefined;
  const text = String(value);
  const plain = DECIMAL.exec(text);
  if (plain) return { negative: plain[1] === '-', whole: plain[2] ?? '0', fraction: plain[3] ?? '' };
  const exp = EXPONENT.exec(text);
  if (!exp) return undefined;
  const digits = (exp[2] ?? '') + (exp[3] ?? '');
  const point = (exp[2] ?? '').length + Number(exp[4]);
  const whole = point <= 0 ? '0' : digits.slice(0, point).padEnd(point, '0');
  const fraction = point <= 0 ? '0'.repeat(-point) + digits : digits.slice(point);
  return { negative: exp[1] === '-', whole, fraction };
}

/**
 * An amount in major units ("1,250.50", "1250.5", 1250.5, 1131) → integer minor units for the
 * currency (125050, 113100 for USD). Returns undefined — never a rounded value — for anything
 * that is not an exact amount in that currency: extra non-zero decimals, NaN, other formats, or a
 * result beyond Number.MAX_SAFE_INTEGER.
 */
export function toMinorUnits(value: unknown, currency: string): number | undefined {
  const digits = minorUnitDigits(currency);
  if (digits === undefined) return undefined;
  let parts: { negative: boolean; whole: string; fraction: string } | undefined;
  if (typeof value === 'number') {
    parts = numberDigits(value);
  } else if (typeof value === 'string') {
    const m = DECIMAL.exec(value.trim());
    if (m) parts = { negative: m[1] === '-', whole: (m[2] ?? '').replaceAll(',', ''), fraction: m[3] ?? '' };
  }
  if (!parts) return undefined;
  const kept = parts.fraction.slice(0, digits);
  // Digits past the currency's precision are fine only when they are zeros ("12.500" USD).
  if (/[^0]/.test(parts.fraction.slice(digits))) return undefined;
  const minor = BigInt(parts.whole + kept.padEnd(digits, '0'));
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  const result = Number(minor);
  return parts.negative && result !== 0 ? -result : result;
}
