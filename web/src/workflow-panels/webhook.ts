/** Workflows started by a webhook (the compiled trigger type is the trigger node's type). */
export const isWebhookTrigger = (triggerType: string | null) => triggerType === 'webhook' || triggerType === 'trigger.webhook';

/** Shell-quoted for POSIX sh: single quotes, with embedded ones closed and reopened. */
export const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * A curl call that signs its body the way api/routes/hooks.ts checks it:
 * `X-Flowline-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the secret>`.
 */
export function curlExample(url: string, secret: string, body = '{"hello":"world"}'): string {
  return [
    `BODY=${sh(body)}`,
    `SIG=$(printf '%s' "$BODY" | openssl dgst -sha256 -hmac ${sh(secret)} | sed 's/^.*= //')`,
    `curl -X POST ${sh(url)} \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -H "X-Flowline-Signature: sha256=$SIG" \\`,
    `  --data "$BODY"`,
  ].join('\n');
}
