/*
 * The trace: why a line pays what it pays, one step at a time, shown as-is in the UI. Each
 * step names the rule, and where they apply the base it worked on, the rate, the tier and the
 * resulting amount, plus a sentence a sales rep can read.
 */
export type TraceStep = {
  /** A rule id, or one of: plan, override, member-default, cap-per-deal, cap-per-period, split, clawback, hold. */
  rule: string;
  /** The amount the step worked on, in minor units. */
  base?: number;
  /** The rate as text ("12.5%"). */
  rate?: string;
  rateBps?: number;
  /** 1-based tier number for tiered rules. */
  tier?: number;
  /** The step's result in minor units, when it produces one. */
  amountMinor?: number;
  note: string;
};

/** Currencies whose minor unit is not a hundredth (ISO 4217 exponents). */
const EXPONENT: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

/** 123456, "USD" -> "1234.56 USD": notes show amounts the way people read them. */
export function formatMinor(amountMinor: number | bigint, currency: string): string {
  const exponent = EXPONENT[currency] ?? 2;
  const value = BigInt(amountMinor);
  const sign = value < 0n ? '-' : '';
  const digits = (value < 0n ? -value : value).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent ? `.${digits.slice(digits.length - exponent)}` : '';
  return `${sign}${whole}${fraction} ${currency}`;
}
