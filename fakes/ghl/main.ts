import { startFakeGhl } from './server';

/*
 * `npm run fake:ghl`: a sandbox GHL location on a fixed port, so Flowline can be connected to it
 * from the UI without a GHL account. Settings come from the environment:
 *   FAKE_GHL_PORT (default 4010), FAKE_GHL_HOST (default 127.0.0.1), FAKE_GHL_WEBHOOK_URL (where
 *   API changes send signed webhooks), FAKE_GHL_LOCATION_ID, FAKE_GHL_COMPANY_ID (fixed ids).
 */
async function main() {
  const fake = await startFakeGhl({
    port: Number(process.env.FAKE_GHL_PORT ?? 4010),
    host: process.env.FAKE_GHL_HOST ?? '127.0.0.1',
    locationId: process.env.FAKE_GHL_LOCATION_ID || undefined,
    companyId: process.env.FAKE_GHL_COMPANY_ID || undefined,
    webhookUrl: process.env.FAKE_GHL_WEBHOOK_URL || null,
  });
  const lines = [
    `Fake GHL listening on ${fake.url}`,
    `  GHL_BASE_URL=${fake.url}`,
    `  location id:            ${fake.locationId}`,
    `  company id:             ${fake.companyId}`,
    `  private token:          ${fake.privateToken}`,
    `  GHL_OAUTH_CLIENT_ID=${fake.oauth.clientId}`,
    `  GHL_OAUTH_CLIENT_SECRET=${fake.oauth.clientSecret}`,
    `  install URL:            ${fake.oauth.authorizeUrl('<redirect-uri>', '<state>').replace(/redirect_uri=[^&]*/, 'redirect_uri=<your GHL_OAUTH_REDIRECT_URL>')}`,
    `  webhooks to:            ${fake.webhooks.target ?? '(none: set FAKE_GHL_WEBHOOK_URL)'}`,
    '',
    'GHL_WEBHOOK_ED25519_PUBLIC_KEY:',
    fake.keys.ed25519PublicKeyPem.trim(),
    '',
    'GHL_WEBHOOK_RSA_PUBLIC_KEY:',
    fake.keys.rsaPublicKeyPem.trim(),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => {
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
