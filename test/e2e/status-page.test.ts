import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { Sql } from '../../db/client';
import { startApp, type RunningApp } from '../helpers/app';
import { testSql } from '../helpers/db';
import { CHROMIUM_ARGS, chromiumPath } from '../helpers/browser';
import { startWorker, type RunningWorker } from '../helpers/worker';

const SCREENSHOTS = path.join(__dirname, 'screenshots');

describe('status page in a real browser', () => {
  let sql: Sql;
  let worker: RunningWorker;
  let app: RunningApp;
  let browser: Browser;
  beforeAll(async () => {
    sql = testSql();
    worker = await startWorker();
    app = await startApp({ taskQueue: worker.taskQueue });
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await worker?.stop();
    await sql?.end();
  });

  it('shows postgres, temporal and worker green, with a link to the Temporal UI', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/status`);
    for (const name of ['postgres', 'temporal', 'worker']) {
      await page.locator(`[data-testid="component-${name}"][data-status="up"]`).waitFor({ timeout: 30_000 });
    }
    await page.locator('[data-testid="overall"][data-status="ready"]').waitFor();
    const link = page.getByRole('link', { name: 'Open the Temporal UI' });
    expect(await link.getAttribute('href')).toBe('http://localhost:8233');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'status-page.png'), fullPage: true });
  });
});
