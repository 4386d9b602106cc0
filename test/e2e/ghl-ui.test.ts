import { createGhlClient } from '../../activities/ghl';
import { apiAs, laptopPage, screenshot, selectNode, signUp } from './lib/builder';
import type { Locator, Page } from 'playwright-core';
import { useGhlBrowserStack } from './lib/ghl-stack';

// The "done when", in a browser on the real stack with the fake GHL as the sandbox
// location: connect it from the UI, see contacts arrive (the first sync, then a webhook), import
// the team, and run a flow that tags a contact and books an appointment.
describe('GoHighLevel in a real browser, against the sandbox location', () => {
  const stack = useGhlBrowserStack();

  it('connects the sandbox, syncs contacts and a webhook contact, imports the team, and runs a flow that tags and books', async () => {
    const { fake, app, browser } = stack;
    const page = await laptopPage(browser);
    const { orgId } = await signUp(page, app.url, 'ghl');

    // Connect the sandbox location in one click, then test it.
    await page.getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('button', { name: 'Connect the sandbox location' }).click();
    const card = page.getByTestId(`integration-${fake.locationId}`);
    await card.waitFor();
    await card.getByRole('button', { name: 'Test connection' }).click();
    await card.getByTestId('test-result').waitFor();
    expect(await card.getByTestId('test-result').textContent()).toMatch(/ok|works|succeeded|connected/i);

    // The first sync brings the location's contacts; a contact created in GHL arrives by webhook.
    const seeded = [...fake.state.contacts.values()][0]!;
    await page.getByRole('link', { name: 'Contacts' }).click();
    await expectEventually(page, () => shows(page.getByTestId(`contact-row-${seeded.id}`)));
    const ghl = createGhlClient({ baseUrl: fake.url, accessToken: fake.privateToken, locationId: fake.locationId });
    const created = await ghl.contacts.create({ firstName: 'Webhook', lastName: 'Walker', email: 'webhook.walker@example.test' });
    await expectEventually(page, () => shows(page.getByTestId(`contact-row-${created.id}`)));
    await screenshot(page, 'ghl-contacts');

    // Import the location's users as the team, with a preview first.
    await page.getByRole('link', { name: 'Integrations' }).click();
    await card.getByRole('button', { name: 'Import team' }).click();
    const dialog = page.getByTestId('team-import');
    await dialog.getByRole('button', { name: /Import \d+ change/ }).click();
    await page.getByText('Team imported').waitFor();
    await page.getByRole('link', { name: 'Team' }).click();
    for (const user of fake.state.users.values()) await page.getByText(user.name!, { exact: true }).first().waitFor();

    // A flow that tags the contact and books the first free slot, run from the builder.
    const api = await apiAs(page, app.url);
    const calendarId = [...fake.state.calendars.keys()][0]!;
    const from = new Date(Date.now() + 86_400_000).toISOString();
    const to = new Date(Date.now() + 8 * 86_400_000).toISOString();
    const wf = await api<{ id: string }>('POST', `/orgs/${orgId}/workflows`, {
      name: 'Tag and book',
      definition: {
        nodes: [
          { id: 'start', type: 'trigger.manual', position: { x: 0, y: 0 }, data: {} },
          { id: 'tag', type: 'ghl.contact.addTags', position: { x: 260, y: 0 }, data: { contactId: '{{ trigger.body.contactId }}', tags: ['vip'] } },
          { id: 'book', type: 'ghl.appointment.book', position: { x: 520, y: 0 }, data: { calendarId, contactId: '{{ trigger.body.contactId }}', from, to, title: 'Intro call' } },
        ],
        edges: [
          { id: 'e1', source: 'start', target: 'tag', sourceHandle: 'out' },
          { id: 'e2', source: 'tag', target: 'book', sourceHandle: 'out' },
        ],
      },
    });
    await page.goto(`${app.url}/orgs/${orgId}/workflows/${wf.id}`);
    await page.getByRole('tab', { name: 'Test run' }).click();
    await page.getByLabel('Test payload (JSON)').fill(JSON.stringify({ contactId: created.id }));
    await page.getByRole('button', { name: 'Run test' }).click();
    await page.locator('[data-testid="test-run-status"][data-status="succeeded"]').waitFor({ timeout: 60_000 });
    await selectNode(page, 'book');
    // The node's last run loads after the selection; a loaded 2-core machine can take a while.
    await page.getByRole('region', { name: 'Last run of this node' }).getByText('Intro call').first().waitFor({ timeout: 60_000 });
    await screenshot(page, 'ghl-flow');

    expect(fake.state.contacts.get(created.id)!.tags).toContain('vip');
    const booked = [...fake.state.appointments.values()].filter((a) => a.contactId === created.id);
    expect(booked).toHaveLength(1);
  });
});

/** Whether the element appears once the (re)loaded page has fetched its data. */
const shows = (locator: Locator) => locator.waitFor({ timeout: 3_000 }).then(() => true, () => false);

/** Reloads until the page shows what a background sync or webhook writes. */
async function expectEventually(page: Page, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      await screenshot(page, 'ghl-timeout');
      throw new Error(`timed out waiting for the page to show it (at ${page.url()})`);
    }
    await page.waitForTimeout(500);
    await page.reload();
  }
}
