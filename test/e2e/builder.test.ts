import { chromium, type Browser } from 'playwright-core';
import { startApp, type RunningApp } from '../helpers/app';
import { CHROMIUM_ARGS, chromiumPath } from '../helpers/browser';
import { startWorker, type RunningWorker } from '../helpers/worker';
import { connect, dragNode, newWorkflow, screenshot, selectNode, signUp } from './lib/builder';

describe('the workflow builder in a real browser', () => {
  let worker: RunningWorker;
  let app: RunningApp;
  let browser: Browser;
  beforeAll(async () => {
    worker = await startWorker();
    app = await startApp({ taskQueue: worker.taskQueue });
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await worker?.stop();
  });

  it('builds webhook -> set -> if -> respond by dragging and connecting', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    const { orgId } = await signUp(page, app.url, 'builder');
    await newWorkflow(page, app.url, orgId, 'Greeter');
    await dragNode(page, 'trigger.webhook', 40, 60);
    await dragNode(page, 'data.set', 300, 60);
    await dragNode(page, 'logic.if', 560, 60);
    await dragNode(page, 'flow.respond', 560, 300);
    for (const id of ['webhook', 'set', 'if', 'respond']) await page.getByTestId(`node-${id}`).waitFor();
    await connect(page, 'webhook', 'out', 'set');
    await connect(page, 'set', 'out', 'if');
    await connect(page, 'if', 'true', 'respond');
    await page.locator('.react-flow__edge').nth(2).waitFor();
    expect(await page.locator('.react-flow__edge').count()).toBe(3);
    await selectNode(page, 'set');
    await screenshot(page, 'builder-canvas');
  });
});
