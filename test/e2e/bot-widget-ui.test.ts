import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import type { Sql } from '../../db/client';
import { startFakeLlm, type FakeLlm } from '../../fakes/llm';
import { startApp, type RunningApp } from '../helpers/app';
import { CHROMIUM_ARGS, chromiumPath } from '../helpers/browser';
import { testSql } from '../helpers/db';
import { startWorker, type RunningWorker } from '../helpers/worker';
import { laptopPage, screenshot, signUp } from './lib/builder';

// The web-chat widget in a real browser on the real stack (API, Temporal worker, the fake LLM as
// the sandbox model): a trainer turns the widget on for their site and copies the snippet; the
// site (another origin: a small server of this test) embeds it, and a visitor chats with the bot.

describe('the bot web-chat widget in a real browser', () => {
  const stack = {} as { llm: FakeLlm; worker: RunningWorker; app: RunningApp; browser: Browser; sql: Sql; site: Server };
  // The organization's own site: whatever snippet it was given, in a plain page.
  let sitePage = '';
  let SITE = '';
  beforeAll(async () => {
    stack.site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(sitePage));
    await new Promise<void>((resolve) => stack.site.listen(0, '127.0.0.1', resolve));
    // localhost, not 127.0.0.1: another origin than the app's, on the same (loopback) network.
    SITE = `http://localhost:${(stack.site.address() as AddressInfo).port}`;
    stack.sql = testSql();
    stack.llm = await startFakeLlm();
    stack.worker = await startWorker({ llm: { baseURL: stack.llm.url, apiKey: stack.llm.apiKey } });
    stack.app = await startApp({ taskQueue: stack.worker.taskQueue });
    stack.browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await stack.browser?.close();
    await stack.app?.close();
    await stack.worker?.stop();
    await stack.llm?.close();
    await stack.sql?.end();
    await new Promise((resolve) => stack.site?.close(resolve));
  });

  it('turns the widget on, embeds it on an allowed site and gets a reply from the sandbox model', async () => {
    const { app, browser, sql } = stack;
    const slow = { timeout: 60_000 };
    const page = await laptopPage(browser);
    page.setDefaultTimeout(30_000);
    const { orgId } = await signUp(page, app.url, 'widget');

    await page.goto(`${app.url}/orgs/${orgId}/bots`);
    await page.getByRole('button', { name: 'New bot' }).click();
    await page.getByRole('form', { name: 'New bot' }).getByLabel('Name', { exact: true }).fill('Studio assistant');
    await page.getByRole('button', { name: 'Create bot' }).click();
    await page.getByRole('heading', { name: 'Studio assistant' }).waitFor(slow);
    // A new bot is off: it answers visitors once it is automatic.
    await page.getByRole('tab', { name: 'Web widget' }).click();
    await page.getByTestId('widget-mode-note').waitFor();
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('radio', { name: /Automatic/ }).check();
    await page.getByRole('button', { name: 'Save bot' }).click();
    await page.getByText('Bot saved').waitFor(slow);

    await page.getByRole('tab', { name: 'Web widget' }).click();
    await expect(page.getByTestId('widget-mode-note').count()).resolves.toBe(0);
    const panel = page.getByRole('tabpanel', { name: 'Web widget' });
    await panel.getByLabel('Chat widget on', { exact: false }).check();
    await panel.getByLabel('Allowed sites').fill(`${SITE}\n`);
    await panel.getByRole('button', { name: 'Save widget' }).click();
    const snippet = panel.getByTestId('widget-snippet');
    await snippet.waitFor(slow);
    const code = (await snippet.textContent())!;
    expect(code).toMatch(new RegExp(`^<script src="${app.url}/widget\\.js" data-key="[A-Za-z0-9_-]{32}" async></script>$`));
    await screenshot(page, 'bot-widget-settings');

    // The organization's site, on its own origin, with the pasted snippet.
    const site = await laptopPage(browser);
    site.setDefaultTimeout(30_000);
    sitePage = `<!doctype html><html><head><title>Studio</title></head><body><h1>Our studio</h1>${code}</body></html>`;
    await site.goto(`${SITE}/`);
    await site.getByRole('button', { name: 'Open chat' }).click();
    const chat = site.frameLocator('iframe[title="Chat"]');
    await chat.getByText('Studio assistant').waitFor(slow);
    await chat.getByRole('textbox', { name: 'Message' }).fill('Do you travel for weddings?');
    await chat.getByRole('button', { name: 'Send' }).click();
    await chat.locator('[data-role="assistant"]').getByText('[sandbox model]', { exact: false }).waitFor({ timeout: 120_000 });
    await screenshot(site, 'bot-widget-chat');

    // The visitor is a contact of the organization, and the exchange is in the bot's conversation.
    const rows = await sql<{ role: string; channel: string; source: string }[]>`
      select m.role, m.channel, c.source from public.conversation_messages m
      join public.conversation_sessions s on s.organization_id = m.organization_id and s.id = m.session_id
      join public.contacts c on c.organization_id = s.organization_id and c.id = s.contact_id
      where s.organization_id = ${orgId} order by m.created_at, m.id`;
    expect(rows).toEqual([
      { role: 'user', channel: 'web', source: 'web_widget' },
      { role: 'assistant', channel: 'web', source: 'web_widget' },
    ]);

    // Reopened later, the widget shows the visitor's conversation again: the embed script keeps
    // the token in the site's own storage (the widget's third-party frame may have none).
    await site.reload();
    await site.getByRole('button', { name: 'Open chat' }).click();
    await site.frameLocator('iframe[title="Chat"]').locator('[data-role="user"]').getByText('Do you travel for weddings?').waitFor(slow);
  }, 300_000);
});
