/*
 * Browser steps shared by the builder's end-to-end tests: sign up, and the canvas gestures a
 * person makes (drag a node in from the palette, drag from one handle to another).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startApp, type RunningApp } from '../../helpers/app';
import { CHROMIUM_ARGS, chromiumPath } from '../../helpers/browser';
import { startWorker, type RunningWorker } from '../../helpers/worker';

export const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');
const SETTINGS_URL = /\/orgs\/([0-9a-f-]{36})\/settings$/;

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** A new owner with a new organization, signed in; returns the organization id. */
export async function signUp(page: Page, baseUrl: string, label: string): Promise<{ orgId: string; email: string }> {
  const run = randomUUID().slice(0, 8);
  const email = `${label}-${run}@example.test`;
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('builder password 1');
  await page.getByLabel('Full name').fill('Bea Builder');
  await page.getByLabel('Organization name').fill(`Builders ${run}`);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL(SETTINGS_URL);
  return { orgId: SETTINGS_URL.exec(new URL(page.url()).pathname)![1]!, email };
}

/** Creates a workflow from the list page and waits for its editor. */
export async function newWorkflow(page: Page, baseUrl: string, orgId: string, name: string): Promise<string> {
  await page.goto(`${baseUrl}/orgs/${orgId}/workflows`);
  await page.getByRole('button', { name: 'New workflow' }).click();
  await page.getByLabel('Workflow name').fill(name);
  await page.getByRole('button', { name: 'Create and open' }).click();
  await page.waitForURL(/\/workflows\/[0-9a-f-]{36}$/);
  await page.getByTestId('canvas').waitFor();
  return new URL(page.url()).pathname.split('/').pop()!;
}

/** Drags a node type from the palette onto the canvas at a point relative to the canvas. */
export async function dragNode(page: Page, type: string, x: number, y: number): Promise<void> {
  await page.getByTestId(`palette-${type}`).dragTo(page.getByTestId('canvas'), { targetPosition: { x, y } });
}

/** Drags from a node's output handle to another node's input, as a person connects them. */
export async function connect(page: Page, from: string, handle: string, to: string): Promise<void> {
  await dragFromHandle(page, from, handle, page.locator(`.react-flow__handle.target[data-nodeid="${to}"]`));
}

/** Drags from a node's output handle and lets go over `target` (a handle, or anything else). */
export async function dragFromHandle(page: Page, from: string, handle: string, target: Locator): Promise<void> {
  const source = page.locator(`.react-flow__handle.source[data-nodeid="${from}"][data-handleid="${handle}"]`);
  const a = (await source.boundingBox())!;
  const b = (await target.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** Selects a node by clicking its card (its id line, away from the handles). */
export async function selectNode(page: Page, id: string): Promise<void> {
  await page.getByTestId(`node-${id}`).locator('.flow-node-id').click();
}

/** The API as the signed-in user of this page (their token from the page's storage). */
export async function apiAs(page: Page, baseUrl: string) {
  // A string runs in the page, where localStorage exists (this file is compiled for Node).
  const token = (await page.evaluate("JSON.parse(localStorage.getItem('flowline.session') ?? '{}').accessToken")) as string | undefined;
  if (!token) throw new Error('the page is not signed in');
  return async <T = unknown>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await page.request.fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      data: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

/**
 * A worker, the app and a headless Chromium for one suite, started before its tests and stopped
 * after them. Read the fields inside tests (they are set in beforeAll).
 */
export function useBrowserStack(): { app: RunningApp; browser: Browser } {
  const stack = {} as { app: RunningApp; browser: Browser; worker: RunningWorker };
  beforeAll(async () => {
    stack.worker = await startWorker();
    stack.app = await startApp({ taskQueue: stack.worker.taskQueue });
    stack.browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await stack.browser?.close();
    await stack.app?.close();
    await stack.worker?.stop();
  });
  return stack;
}

/** A page at a laptop's size, where the palette, canvas and side panels all fit. */
export async function laptopPage(browser: Browser): Promise<Page> {
  return (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
}
