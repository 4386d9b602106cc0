import { chromium, type Browser } from 'playwright-core';
import type { Sql } from '../../db/client';
import { startFakeLlm, type FakeLlm } from '../../fakes/llm';
import { startApp, type RunningApp } from '../helpers/app';
import { CHROMIUM_ARGS, chromiumPath } from '../helpers/browser';
import { testSql } from '../helpers/db';
import { createContact } from '../helpers/integrations';
import { startWorker, type RunningWorker } from '../helpers/worker';
import { laptopPage, screenshot, signUp } from './lib/builder';

// A trainer's path in a browser on the real stack (API, Temporal worker, the fake LLM as the
// sandbox model): create a bot, teach it an FAQ, chat with it as a contact in the simulator,
// and read why it answered; then find the conversation in the Conversations tab.
describe('bots in a real browser', () => {
  const stack = {} as { llm: FakeLlm; worker: RunningWorker; app: RunningApp; browser: Browser; sql: Sql };
  beforeAll(async () => {
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
  });

  it('creates a bot, adds an FAQ, chats in the simulator and shows the reply with its trace', async () => {
    const { app, browser, sql } = stack;
    // A loaded 2-core machine: every wait is generous, none is a fixed sleep.
    const slow = { timeout: 60_000 };
    const page = await laptopPage(browser);
    page.setDefaultTimeout(30_000);
    const { orgId } = await signUp(page, app.url, 'bots');

    await page.goto(`${app.url}/orgs/${orgId}/bots`);
    await page.getByRole('button', { name: 'New bot' }).click();
    await page.getByRole('form', { name: 'New bot' }).getByLabel('Name', { exact: true }).fill('Studio assistant');
    await page.getByRole('button', { name: 'Create bot' }).click();
    await page.getByRole('heading', { name: 'Studio assistant' }).waitFor(slow);
    await page.getByTestId('bot-model').getByText('Platform default model (the sandbox model when running with npm start)').waitFor();

    await page.getByRole('tab', { name: 'Knowledge' }).click();
    await page.getByLabel('Title').fill('Travel FAQ');
    await page.getByLabel('Kind').selectOption('faq');
    await page.getByLabel('Text').fill('Q: Do you travel for weddings?\nA: Yes, anywhere in the state, at no extra cost.\n\nQ: How much is the deposit?\nA: 30% to book the date.\n');
    await page.getByRole('button', { name: 'Add to knowledge' }).click();
    await page.locator('[data-testid^="document-"]').filter({ hasText: 'Travel FAQ' }).waitFor(slow);

    // The organization's contacts come from GoHighLevel: one synced contact, written as the sync would.
    await createContact(sql, orgId, 'Ada Lovelace');

    await page.getByRole('tab', { name: 'Simulator' }).click();
    const simulator = page.getByRole('tabpanel', { name: 'Simulator' });
    await simulator.getByTestId('simulator-model').getByText('Platform default model', { exact: false }).waitFor(slow);
    await simulator.getByLabel('Test contact').selectOption({ label: 'Ada Lovelace' });
    await simulator.getByLabel('Message', { exact: true }).fill('Do you travel for weddings?');
    await simulator.getByRole('button', { name: 'Send' }).click();

    // Update-with-start runs the conversation workflow, a turn, and the fake model's answer.
    const reply = simulator.getByTestId('bot-reply');
    await reply.getByText('[sandbox model]', { exact: false }).waitFor({ timeout: 120_000 });
    await simulator.getByTestId('conversation-status').getByText('Active').waitFor();
    const trace = reply.getByTestId('reply-trace');
    await trace.waitFor(slow);
    await trace.getByText('Why this reply').click();
    await trace.getByTestId('trace-model').waitFor();
    expect(await trace.getByTestId('trace-model').textContent()).toMatch(/^Model: \S+/);
    // The FAQ was read: its chunks are in the trace with their scores.
    const chunks = trace.locator('[data-testid^="trace-chunk-"]');
    await chunks.first().waitFor();
    expect(await chunks.first().textContent()).toMatch(/score \d+\.\d{3}/);
    expect(await trace.getByTestId('trace-error').count()).toBe(0);
    await screenshot(page, 'bots-simulator');

    // The same conversation, read back in the Conversations tab.
    await page.getByRole('tab', { name: 'Conversations' }).click();
    const conversations = page.getByRole('tabpanel', { name: 'Conversations' });
    const row = conversations.locator('tr[data-testid^="conversation-"]').filter({ hasText: 'Ada Lovelace' });
    await row.waitFor(slow);
    await row.getByRole('button', { name: /transcript/i }).click();
    const transcript = conversations.getByRole('log', { name: 'Transcript' });
    // The contact's message, then the bot's reply with its trace (the prompt inside quotes the message too).
    await transcript.locator('.bot-bubble-contact').getByText('Do you travel for weddings?').waitFor(slow);
    await transcript.locator('.bot-bubble-bot').getByText('[sandbox model]', { exact: false }).waitFor();
    expect(await transcript.getByTestId('reply-trace').count()).toBe(1);
  }, 300_000);
});
