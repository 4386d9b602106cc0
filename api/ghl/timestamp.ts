// GHL's webhook `timestamp` is ISO 8601 ("2025-01-28T14:35:00Z", WebhookAuthentication.md).
// A bare date or a locale string is refused: Date.parse would accept both, with a guessed zone.
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

export function isGhlTimestamp(value: unknown): value is string {
  return typeof value === 'string' && ISO_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));
}
