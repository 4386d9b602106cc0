/*
 * How the sandbox model "reads" a receipt: a few deterministic rules over the receipt's printed
 * lines (from the text an image carries, see images.ts, or from text sent in the messages). It
 * answers in the shape a vision model is asked for: amounts as the decimal text printed
 * ("42.50"), a YYYY-MM-DD date, an ISO currency code, and a confidence per field: high when a
 * labelled line gave the value, lower when it was guessed, 0 when nothing was found.
 */

export interface ReceiptReading {
  vendor: string | null;
  date: string | null;
  currency: string | null;
  total: string | null;
  tax: string | null;
  lineItems: { description: string; quantity: number | null; amount: string }[];
  paymentMethod: string | null;
  referenceNumber: string | null;
  confidence: Record<'vendor' | 'date' | 'currency' | 'total' | 'tax' | 'lineItems' | 'paymentMethod' | 'referenceNumber', number>;
}

/** A line holding only this marker makes every confidence BLURRY: a photo hard to read. */
export const BLURRY_MARKER = '~blurry~';
const SURE = 0.95;
const LIKELY = 0.9;
const GUESSED = 0.6;
const BLURRY = 0.4;

const SYMBOLS: Record<string, { code: string; confidence: number }> = {
  '€': { code: 'EUR', confidence: LIKELY },
  '£': { code: 'GBP', confidence: LIKELY },
  '¥': { code: 'JPY', confidence: GUESSED },
  // Dollars are printed the same in many countries: USD is a guess.
  $: { code: 'USD', confidence: GUESSED },
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// An amount as printed: optional symbol or code around digits grouped by commas, two decimals or none.
const AMOUNT = String.raw`(?:([A-Z]{3})\s*)?([$€£¥])?\s*(\d{1,3}(?:,\d{3})+(?:\.\d{1,3})?|\d+(?:\.\d{1,3})?)(?:\s*([A-Z]{3}))?`;
const TOTAL = new RegExp(String.raw`^(?:grand\s+)?(?:total(?:\s+(?:due|paid))?|amount\s+(?:due|paid))\b[\s:]*${AMOUNT}$`, 'i');
const TAX = new RegExp(String.raw`^(?:sales\s+)?(?:tax|vat|gst|hst)\b(?:\s*\(?\d+(?:\.\d+)?%\)?)?[\s:]*${AMOUNT}$`, 'i');
const ITEM = new RegExp(String.raw`^(.*?[A-Za-z].*?)\s+(?:x\s?(\d+(?:\.\d+)?)\s+)?${AMOUNT}$`);
const NOT_ITEM = /^(?:sub-?total|grand\s+total|total|tax|sales\s+tax|vat|gst|hst|change|balance|amount|tip|cash\s+tendered|tendered|discount)\b/i;
const LABELS = {
  vendor: /^(?:vendor|merchant|seller|from)\s*:\s*(.+)$/i,
  date: /^(?:date|purchase\s+date|invoice\s+date|issued)\s*:?\s*(.+)$/i,
  currency: /^currency\s*:?\s*([A-Za-z]{3})\b/i,
  payment: /^(?:paid\s+(?:by|with|via)|payment(?:\s+method)?|tender)\s*:?\s*(.+)$/i,
  reference: /^(?:ref(?:erence)?\b(?:\s+no\.?)?|receipt\s*(?:#|no\.?|number)|invoice\s*(?:#|no\.?|number)|order\s*(?:#|no\.?|number)|transaction\s*(?:#|id))\s*[:#]?\s*([A-Za-z0-9][\w/-]*)/i,
};
const PAYMENT_WORDS = /\b(visa|mastercard|amex|american express|maestro|debit|credit card|cash|apple pay|google pay|paypal|bank transfer)\b/i;

const pad = (n: number) => String(n).padStart(2, '0');
function isoDate(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? `${y}-${pad(m)}-${pad(d)}` : null;
}

/** A date in the formats receipts print, with how sure the reading is. */
export function readDate(text: string): { date: string; confidence: number } | null {
  const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(text);
  if (iso) {
    const date = isoDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    return date ? { date, confidence: SURE } : null;
  }
  const named = /\b(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?,?\s+(\d{4})\b|\b([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b/.exec(text);
  if (named) {
    const month = MONTHS.indexOf((named[2] ?? named[4] ?? '').toLowerCase()) + 1;
    const date = month ? isoDate(Number(named[3] ?? named[6]), month, Number(named[1] ?? named[5])) : null;
    if (date) return { date, confidence: LIKELY };
  }
  // 11/20/2026 (US order first), 20.11.2026 (day first): a guess either way.
  const numeric = /\b(\d{1,2})([/.-])(\d{1,2})\2(\d{4})\b/.exec(text);
  if (numeric) {
    const [a, sep, b, y] = [Number(numeric[1]), numeric[2], Number(numeric[3]), Number(numeric[4])];
    const monthFirst = sep === '/' ? a <= 12 : a <= 12 && b > 12;
    const date = monthFirst ? isoDate(y, a, b) : isoDate(y, b, a);
    if (date) return { date, confidence: GUESSED };
  }
  return null;
}

interface Amount {
  value: string;
  currency?: { code: string; confidence: number };
}

function amountOf(match: RegExpExecArray, offset: number): Amount {
  const [codeBefore, symbol, digits, codeAfter] = match.slice(offset, offset + 4);
  const code = codeBefore ?? codeAfter;
  const currency = code ? { code: code.toUpperCase(), confidence: SURE } : symbol ? SYMBOLS[symbol] : undefined;
  return { value: (digits ?? '').replaceAll(',', ''), ...(currency ? { currency } : {}) };
}

/** The sandbox model's reading of a receipt's printed text. */
export function readReceipt(text: string): ReceiptReading {
  const lines = text
    .split(/\r?\n|\f/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^\[Page \d+\]$/.test(l));
  const blurry = lines.includes(BLURRY_MARKER);
  const content = lines.filter((l) => l !== BLURRY_MARKER);
  const answer: ReceiptReading = {
    vendor: null,
    date: null,
    currency: null,
    total: null,
    tax: null,
    lineItems: [],
    paymentMethod: null,
    referenceNumber: null,
    confidence: { vendor: 0, date: 0, currency: 0, total: 0, tax: 0, lineItems: 0, paymentMethod: 0, referenceNumber: 0 },
  };
  const c = answer.confidence;
  const currencies: { code: string; confidence: number }[] = [];
  for (const line of content) {
    let m: RegExpExecArray | null;
    if ((m = LABELS.vendor.exec(line)) && answer.vendor === null) [answer.vendor, c.vendor] = [m[1]!.trim(), SURE];
    else if ((m = LABELS.currency.exec(line))) currencies.unshift({ code: m[1]!.toUpperCase(), confidence: SURE });
    else if ((m = LABELS.reference.exec(line)) && answer.referenceNumber === null) [answer.referenceNumber, c.referenceNumber] = [m[1]!, SURE];
    else if ((m = LABELS.payment.exec(line)) && answer.paymentMethod === null) [answer.paymentMethod, c.paymentMethod] = [m[1]!.trim(), SURE];
    else if ((m = TOTAL.exec(line))) {
      const amount = amountOf(m, 1);
      [answer.total, c.total] = [amount.value, SURE];
      if (amount.currency) currencies.push(amount.currency);
    } else if ((m = TAX.exec(line))) {
      const amount = amountOf(m, 1);
      [answer.tax, c.tax] = [amount.value, SURE];
      if (amount.currency) currencies.push(amount.currency);
    } else if ((m = LABELS.date.exec(line)) && answer.date === null) {
      const date = readDate(m[1]!);
      if (date) [answer.date, c.date] = [date.date, date.confidence];
    } else if (!NOT_ITEM.test(line) && (m = ITEM.exec(line))) {
      const amount = amountOf(m, 3);
      // "Table 12" or "Aisle 4" is not a price: an item's amount has decimals or a currency.
      if (!amount.value.includes('.') && !amount.currency) continue;
      answer.lineItems.push({ description: m[1]!.trim(), quantity: m[2] ? Number(m[2]) : null, amount: amount.value });
      if (amount.currency) currencies.push(amount.currency);
    }
  }
  // Unlabelled guesses, when no labelled line gave the value.
  const first = content[0];
  if (answer.vendor === null && first && !TOTAL.test(first) && !LABELS.date.test(first)) [answer.vendor, c.vendor] = [first, LIKELY];
  if (answer.date === null) {
    const found = content.map(readDate).find((d) => d !== null);
    if (found) [answer.date, c.date] = [found.date, Math.min(found.confidence, GUESSED)];
  }
  if (answer.paymentMethod === null) {
    const word = content.map((l) => PAYMENT_WORDS.exec(l)?.[1]).find(Boolean);
    if (word) [answer.paymentMethod, c.paymentMethod] = [word, GUESSED];
  }
  const currency = currencies.sort((a, b) => b.confidence - a.confidence)[0];
  if (currency) [answer.currency, c.currency] = [currency.code, currency.confidence];
  if (answer.lineItems.length) c.lineItems = LIKELY;
  if (blurry) for (const field of Object.keys(c) as (keyof typeof c)[]) if (c[field] > 0) c[field] = BLURRY;
  return answer;
}

/** What a model answers for an image with no readable text: nothing, and sure of nothing. */
export function unreadableReceipt(): ReceiptReading {
  return readReceipt('');
}
