import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startApp, type RunningApp } from '../helpers/app';
import { CHROMIUM_ARGS, chromiumPath } from '../helpers/browser';
import { startWorker, type RunningWorker } from '../helpers/worker';

const SCREENSHOTS = path.join(__dirname, 'screenshots');
const SETTINGS_URL = /\/orgs\/([0-9a-f-]{36})\/settings$/;

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

describe('tenancy pages in a real browser', () => {
  let worker: RunningWorker;
  let app: RunningApp;
  let browser: Browser;
  beforeAll(async () => {
    // The API and worker log in as the app role, as in production: RLS decides what each request sees.
    worker = await startWorker();
    app = await startApp({ taskQueue: worker.taskQueue });
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await worker?.stop();
  });

  it('an owner signs up, invites a sales member who joins through the link, then makes them an administrator', async () => {
    const run = randomUUID().slice(0, 8);
    const owner = { email: `owner-${run}@example.test`, password: 'owner password 1', fullName: 'Olga Owner', org: `Acme ${run}` };
    const rep = { email: `rep-${run}@example.test`, password: 'rep password 12', fullName: 'Rafael Rep' };

    // The owner signs up with a new organization and lands on its settings.
    const ownerPage = await (await browser.newContext()).newPage();
    await ownerPage.goto(`${app.url}/signup`);
    await ownerPage.getByLabel('Email').fill(owner.email);
    await ownerPage.getByLabel('Password').fill(owner.password);
    await ownerPage.getByLabel('Full name').fill(owner.fullName);
    await ownerPage.getByLabel('Organization name').fill(owner.org);
    await ownerPage.getByRole('button', { name: 'Sign up' }).click();
    await ownerPage.waitForURL(SETTINGS_URL);
    const orgId = SETTINGS_URL.exec(new URL(ownerPage.url()).pathname)![1]!;
    await ownerPage.getByTestId('usage-users').getByText('1 / 3').waitFor();
    expect(await ownerPage.getByLabel('Name', { exact: true }).inputValue()).toBe(owner.org);
    expect(await ownerPage.getByLabel('Name', { exact: true }).isEditable()).toBe(true);
    expect(await ownerPage.getByLabel('Plan').isEnabled()).toBe(true);
    expect(await ownerPage.getByTestId('current-role').textContent()).toBe('Owner');
    await ownerPage.getByRole('link', { name: 'Audit log' }).waitFor();
    await screenshot(ownerPage, 'tenancy-owner-settings');

    // The owner invites the rep as sales; the page shows the link to pass on.
    await ownerPage.getByRole('link', { name: 'Members' }).click();
    await ownerPage.getByTestId(`member-row-${owner.email}`).waitFor();
    await ownerPage.getByLabel('Email', { exact: true }).fill(rep.email);
    await ownerPage.getByLabel('Role', { exact: true }).selectOption('sales');
    await ownerPage.getByRole('button', { name: 'Invite' }).click();
    const acceptLink = ownerPage.getByLabel('Accept link');
    await acceptLink.waitFor();
    const link = await acceptLink.inputValue();
    expect(link.startsWith(`${app.url}/invitations/`)).toBe(true);
    await ownerPage.getByRole('region', { name: 'Pending invitations' }).getByRole('cell', { name: rep.email, exact: true }).waitFor();
    await screenshot(ownerPage, 'tenancy-owner-invited');

    // The rep opens the link in their own browser and creates their account there.
    const repPage = await (await browser.newContext()).newPage();
    await repPage.goto(link);
    await repPage.getByTestId('invitation-organization').getByText(owner.org).waitFor();
    expect(await repPage.getByTestId('invitation-role').textContent()).toBe('Sales');
    expect(await repPage.getByLabel('Email').inputValue()).toBe(rep.email);
    expect(await repPage.getByLabel('Email').isEditable()).toBe(false);
    await repPage.getByRole('link', { name: 'Log in to accept' }).waitFor();
    await screenshot(repPage, 'tenancy-invitation');
    await repPage.getByLabel('Full name').fill(rep.fullName);
    await repPage.getByLabel('Password').fill(rep.password);
    await repPage.getByRole('button', { name: 'Create account and join' }).click();

    // The rep is in the organization as sales: no audit log, the name is read-only.
    await repPage.waitForURL(`${app.url}/orgs/${orgId}/settings`);
    await repPage.getByTestId('current-role').getByText('Sales').waitFor();
    expect(await repPage.getByTestId('user-email').textContent()).toBe(rep.email);
    expect(await repPage.getByRole('combobox', { name: 'Organization' }).inputValue()).toBe(orgId);
    await repPage.getByLabel('Name', { exact: true }).waitFor();
    expect(await repPage.getByLabel('Name', { exact: true }).inputValue()).toBe(owner.org);
    expect(await repPage.getByLabel('Name', { exact: true }).isEditable()).toBe(false);
    expect(await repPage.getByLabel('Plan').isEnabled()).toBe(false);
    await repPage.getByRole('link', { name: 'Team' }).waitFor();
    expect(await repPage.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    expect(await repPage.getByRole('button', { name: 'Save' }).count()).toBe(0);
    await screenshot(repPage, 'tenancy-rep-as-sales');

    // Back with the owner: the rep is a member with role sales; the owner makes them an administrator.
    await ownerPage.reload();
    const repRow = ownerPage.getByTestId(`member-row-${rep.email}`);
    await repRow.waitFor();
    expect(await repRow.getByRole('cell', { name: rep.fullName }).count()).toBe(1);
    const roleSelect = repRow.getByLabel(`Role of ${rep.email}`);
    expect(await roleSelect.inputValue()).toBe('sales');
    expect(await ownerPage.getByRole('region', { name: 'Pending invitations' }).getByRole('cell', { name: rep.email, exact: true }).count()).toBe(0);
    const patched = ownerPage.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes(`/api/v1/orgs/${orgId}/members/`));
    await roleSelect.selectOption('administrator');
    expect((await patched).status()).toBe(200);
    // The select shows a role once the server has answered with it.
    await roleSelect.locator('option:checked', { hasText: 'Administrator' }).waitFor({ state: 'attached' });
    await screenshot(ownerPage, 'tenancy-owner-members');

    // The rep reloads and now holds the administrator's rights: the audit log is theirs to read.
    await repPage.reload();
    await repPage.getByTestId('current-role').getByText('Administrator').waitFor();
    await repPage.getByRole('link', { name: 'Audit log' }).click();
    await repPage.waitForURL(`${app.url}/orgs/${orgId}/audit-log`);
    await repPage.getByRole('cell', { name: 'organization_members' }).first().waitFor();
    await screenshot(repPage, 'tenancy-rep-audit-log');
  });

  it('keeps the team: a commission rate typed in percent is sent as whole basis points', async () => {
    const run = randomUUID().slice(0, 8);
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${app.url}/signup`);
    await page.getByLabel('Email').fill(`team-owner-${run}@example.test`);
    await page.getByLabel('Password').fill('team owner password');
    await page.getByLabel('Full name').fill('Theo Owner');
    await page.getByLabel('Organization name').fill(`Team ${run}`);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(SETTINGS_URL);

    await page.getByRole('link', { name: 'Team' }).click();
    await page.getByText('No team members yet.').waitFor();
    await page.getByRole('button', { name: 'Add team member' }).click();
    await page.getByLabel('Full name').fill('Tina Closer');
    await page.getByLabel('Email').fill(`tina-${run}@example.test`);
    await page.getByLabel('GHL user id').fill(`ghl-${run}`);
    await page.getByLabel('Member type').selectOption('sales');
    await page.getByLabel('Commission rate (%)').fill('12.5');
    await page.getByLabel('Commission type').selectOption('percentage');
    await page.getByLabel('Login').selectOption({ label: `team-owner-${run}@example.test` });
    const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/team-members'));
    await page.getByRole('button', { name: 'Add team member' }).click();
    const response = await created;
    expect(response.status()).toBe(201);
    expect(response.request().postDataJSON()).toMatchObject({ commissionRateBps: 1250, commissionType: 'percentage', externalId: `ghl-${run}` });

    const row = page.getByRole('row', { name: /Tina Closer/ });
    await row.waitFor();
    expect(await row.getByRole('cell', { name: '12.5 % (percentage)' }).count()).toBe(1);
    expect(await row.getByRole('cell', { name: `team-owner-${run}@example.test` }).count()).toBe(1);
    await screenshot(page, 'tenancy-team');

    // A rate with three decimals never reaches the server.
    await page.getByRole('button', { name: 'Edit Tina Closer' }).click();
    await page.getByLabel('Commission rate (%)').fill('12.345');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('error-commissionRateBps').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('searchbox', { name: 'Search' }).fill('nobody-by-this-name');
    await page.getByText('Nobody matches').waitFor();
    await page.getByRole('searchbox', { name: 'Search' }).fill('tina');
    await row.waitFor();

    await page.getByRole('button', { name: 'Delete Tina Closer' }).click();
    await page.getByRole('dialog', { name: 'Delete team member' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Nobody matches').waitFor();
  });

  it('renews a rejected access token with one refresh, and sends a dead session to the login page and back', async () => {
    const run = randomUUID().slice(0, 8);
    const account = { email: `session-${run}@example.test`, password: 'session password' };
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${app.url}/signup`);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByLabel('Full name').fill('Sid Session');
    await page.getByLabel('Organization name').fill(`Session ${run}`);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(SETTINGS_URL);
    const settingsUrl = page.url();
    // Strings, not functions: this file is compiled without the DOM types.
    const session = () => page.evaluate("JSON.parse(localStorage.getItem('flowline.session') ?? 'null')") as Promise<{ accessToken: string; refreshToken: string } | null>;
    const spoil = (fields: string) =>
      page.evaluate(`(() => { const s = JSON.parse(localStorage.getItem('flowline.session')); ${fields}; localStorage.setItem('flowline.session', JSON.stringify(s)); })()`);

    // The API refuses the access token; the page renews the session once, however many calls failed.
    let refreshes = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/auth/refresh')) refreshes++;
    });
    // The page must be done with its own calls first: one still in flight would meet the spoiled
    // token and refresh the session itself, and the reload could cut that refresh off halfway.
    await page.getByRole('heading', { name: 'Data retention' }).waitFor();
    await page.waitForLoadState('networkidle');
    const before = await session();
    await spoil("s.accessToken = 'not-a-valid-token'");
    await page.reload();
    await page.getByTestId('usage-users').getByText('1 / 3').waitFor();
    const after = await session();
    expect(after?.accessToken).not.toBe('not-a-valid-token');
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(refreshes).toBe(1);

    // With the refresh token dead too, the page goes to the login page and returns after it.
    await page.getByRole('heading', { name: 'Data retention' }).waitFor();
    await page.waitForLoadState('networkidle');
    await spoil("s.accessToken = 'not-a-valid-token'; s.refreshToken = 'not-a-valid-refresh-token'");
    await page.reload();
    await page.waitForURL(`${app.url}/login?next=${encodeURIComponent(new URL(settingsUrl).pathname)}`);
    expect(await session()).toBeNull();
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(settingsUrl);
    await page.getByTestId('current-role').getByText('Owner').waitFor();

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${app.url}/login`);
    expect(await session()).toBeNull();
    await page.goto(app.url);
    await page.waitForURL(`${app.url}/login`);
  });

  it("shows the server's message next to the password field when the password is too short", async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/signup`);
    await page.getByLabel('Email').fill(`short-${randomUUID().slice(0, 8)}@example.test`);
    await page.getByLabel('Password').fill('short');
    await page.getByLabel('Full name').fill('Sam Short');
    await page.getByLabel('Organization name').fill('Short Ltd');
    await page.getByRole('button', { name: 'Sign up' }).click();

    const error = page.getByTestId('error-password');
    await error.waitFor();
    expect((await error.textContent())?.trim()).not.toBe('');
    // Tied to the field for assistive technology, and the page stays on the form.
    const errorId = await error.getAttribute('id');
    expect((await page.getByLabel('Password').getAttribute('aria-describedby'))?.split(' ')).toContain(errorId);
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    await page.getByRole('alert').waitFor();
    expect(new URL(page.url()).pathname).toBe('/signup');
    await screenshot(page, 'tenancy-signup-short-password');
  });
});
