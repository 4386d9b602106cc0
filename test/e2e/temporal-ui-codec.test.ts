import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { chromium, type Browser, type Page, type Response } from 'playwright-core';
import { encryptedDataConverter, payloadCodec } from '../../codec/data-converter';
import type { Sql } from '../../db/client';
import { freePorts } from '../../scripts/lib/ports';
import { ensureTemporalCli } from '../../scripts/lib/temporal-cli';
import { startTemporalDevServer, type TemporalHandle } from '../../scripts/lib/temporal-server';
import { startApp, type RunningApp } from '../helpers/app';
import { CHROMIUM_ARGS, chromiumPath } from '../helpers/browser';
import { appSql } from '../helpers/db';
import { TEST_KEY_RING } from '../helpers/integrations';
import { laptopPage, signUp } from './lib/builder';

const ROOT = path.join(__dirname, '..', '..');
// "binary/encrypted", as the UI prints a payload it could not decode (metadata values base64).
const ENCRYPTED = Buffer.from('binary/encrypted').toString('base64');

/*
 * The real Temporal Web UI (the dev server's, started here with a UI and the API's codec
 * endpoint, as `npm start` does) showing a workflow input encrypted under an organization's key.
 * A person of that organization opens a codec session from the Flowline app as the README says,
 * chooses "Include cross-origin credentials" in the UI's Codec Server settings, and reads the
 * input; without a session, or as someone of another organization, the UI shows ciphertext.
 */
describe('the Temporal Web UI reads payloads through the codec endpoint', () => {
  let app: RunningApp;
  let temporal: TemporalHandle;
  let connection: Connection;
  let keysSql: Sql;
  let client: Client;
  let browser: Browser;
  let api: string;
  let ui: string;

  beforeAll(async () => {
    const [port, uiPort] = await freePorts(2);
    ui = `http://localhost:${uiPort}`;
    app = await startApp({ taskQueue: `ui-codec-${randomUUID()}`, codecAllowedOrigins: [ui] });
    // The UI and the API on the same host name, as `npm start` serves them (localhost).
    api = `http://localhost:${new URL(app.url).port}`;
    temporal = await startTemporalDevServer({
      cli: await ensureTemporalCli(ROOT),
      port: port!,
      uiPort,
      logFile: path.join(os.tmpdir(), `flowline-ui-codec-${port}.log`),
      uiCodecEndpoint: `${api}/api/v1/codec`,
    });
    connection = await Connection.connect({ address: temporal.address });
    keysSql = appSql();
    // Encrypting as the API and workers do (test key ring).
    client = new Client({ connection, namespace: 'default', dataConverter: encryptedDataConverter(payloadCodec(keysSql, TEST_KEY_RING)) });
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await connection?.close();
    await temporal?.stop();
    await keysSql?.end();
    await app?.close();
  });

  /** A run whose input names the organization; no worker takes it: the UI shows its input. */
  async function runWithSecret(orgId: string): Promise<{ workflowId: string; secret: string }> {
    const secret = `card-ending-${randomUUID()}`;
    const workflowId = `ui-codec-${randomUUID()}`;
    await client.workflow.start('flowInterpreterWorkflow', { taskQueue: `ui-codec-${randomUUID()}`, workflowId, args: [{ orgId, note: secret }] });
    return { workflowId, secret };
  }

  /** What the README tells a signed-in person to run in the Flowline app's tab. */
  async function openCodecSession(page: Page): Promise<number> {
    return page.evaluate(`fetch('/api/v1/codec/session', {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + JSON.parse(localStorage.getItem('flowline.session')).accessToken },
    }).then((r) => r.status)`);
  }

  /** The UI's Codec Server settings: this browser's endpoint, sending its cookies. */
  async function useBrowserCodecSettings(page: Page): Promise<void> {
    await page.goto(ui);
    await page.locator('[data-testid^="data-encoder-status"]').first().click();
    await page.getByRole('button', { name: /^Use Cluster-level setting/ }).click();
    await page.getByText('Use my browser setting and ignore Cluster-level setting.').last().click();
    await page.getByPlaceholder('Paste your endpoint here').fill(`${api}/api/v1/codec`);
    // A switch, toggled from the keyboard (the open panel slides under the sticky top bar).
    const credentials = page.getByRole('switch', { name: 'Include cross-origin credentials' });
    await credentials.press('Space');
    expect(await credentials.isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Apply' }).click();
  }

  /** Opens the run in the UI; resolves with the codec endpoint's answer to the UI's decode request. */
  async function openRun(page: Page, workflowId: string): Promise<Response> {
    const decoded = page.waitForResponse((r) => r.url() === `${api}/api/v1/codec/decode` && r.request().method() === 'POST');
    await page.goto(`${ui}/namespaces/default/workflows/${workflowId}`);
    return decoded;
  }

  it('shows the input decoded to a person of the organization with a codec session', async () => {
    const page = await laptopPage(browser);
    page.setDefaultTimeout(30_000);
    const { orgId } = await signUp(page, api, 'ui-codec');
    const { workflowId, secret } = await runWithSecret(orgId);
    expect(await openCodecSession(page)).toBe(204);

    // The dev server's own codec setting sends no credentials: still encrypted.
    expect((await openRun(page, workflowId)).status()).toBe(401);
    await page.getByText(ENCRYPTED).first().waitFor();
    expect(await page.locator('body').innerText()).not.toContain(secret);
    await useBrowserCodecSettings(page);
    expect((await openRun(page, workflowId)).status()).toBe(200);
    await page.getByText(secret).first().waitFor();
    await page.context().close();
  }, 120_000);

  it('shows the input still encrypted without a codec session, and to another organization', async () => {
    const owner = await laptopPage(browser);
    owner.setDefaultTimeout(30_000);
    const { orgId } = await signUp(owner, api, 'ui-codec-owner');
    const { workflowId, secret } = await runWithSecret(orgId);
    await owner.context().close();

    // Signed in to Flowline, but no codec session opened.
    const signedIn = await laptopPage(browser);
    signedIn.setDefaultTimeout(30_000);
    await signUp(signedIn, api, 'ui-codec-nosession');
    await useBrowserCodecSettings(signedIn);
    expect((await openRun(signedIn, workflowId)).status()).toBe(401);
    await signedIn.getByText(ENCRYPTED).first().waitFor();
    expect(await signedIn.locator('body').innerText()).not.toContain(secret);
    await signedIn.context().close();

    // Someone of another organization, with a codec session: answered, still encrypted.
    const other = await laptopPage(browser);
    other.setDefaultTimeout(30_000);
    await signUp(other, api, 'ui-codec-other');
    expect(await openCodecSession(other)).toBe(204);
    await useBrowserCodecSettings(other);
    expect((await openRun(other, workflowId)).status()).toBe(200);
    await other.getByText(ENCRYPTED).first().waitFor();
    expect(await other.locator('body').innerText()).not.toContain(secret);
    await other.context().close();
  }, 120_000);
});
