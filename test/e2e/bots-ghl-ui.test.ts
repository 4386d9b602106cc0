import { laptopPage, screenshot, signUp } from './lib/builder';
import { useGhlBrowserStack } from './lib/ghl-stack';

// The bots issue's "done when" in a browser on the real stack, with the fake GHL as the sandbox
// location: a person creates a bot, gives it an FAQ and a booking calendar, and in the simulator
// a synced GHL contact says they are interested and asks to book: the sandbox model tags the
// contact and books an appointment in GHL through the bot's tools, and the reply's trace shows it.
describe('a bot tagging and booking in GHL from the simulator', () => {
  const stack = useGhlBrowserStack();

  it('creates a bot with an FAQ and a calendar, then tags the contact and books them from the simulator', async () => {
    const { fake, app, browser } = stack;
    const page = await laptopPage(browser);
    page.setDefaultTimeout(30_000);
    const slow = { timeout: 60_000 };
    await signUp(page, app.url, 'bots-ghl');

    await page.getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('button', { name: 'Connect the sandbox location' }).click();
    await page.getByTestId(`integration-${fake.locationId}`).waitFor();

    await page.getByRole('link', { name: 'Bots' }).click();
    await page.getByRole('button', { name: 'New bot' }).click();
    await page.getByRole('form', { name: 'New bot' }).getByLabel('Name', { exact: true }).fill('Studio assistant');
    await page.getByRole('button', { name: 'Create bot' }).click();
    await page.getByRole('heading', { name: 'Studio assistant' }).waitFor(slow);
    const calendarId = [...fake.state.calendars.keys()][0]!;
    await page.getByLabel('Booking calendar').fill(calendarId);
    // A goal reached on evidence: a booking GHL confirmed.
    await page.getByRole('button', { name: 'Add goal' }).click();
    const goal = page.getByRole('group', { name: 'Goal 1' });
    await goal.getByLabel('Id').fill('book_visit');
    await goal.getByLabel('Goal name').fill('Book a visit');
    await goal.getByLabel('Reached when').selectOption('appointment_booked');
    await page.getByRole('button', { name: 'Save bot' }).click();
    await page.getByText('Bot saved').waitFor(slow);

    await page.getByRole('tab', { name: 'Knowledge' }).click();
    await page.getByLabel('Title').fill('Studio FAQ');
    await page.getByLabel('Kind').selectOption('faq');
    await page.getByLabel('Text').fill('Q: Where is the studio?\nA: 12 Harbour Street, second floor.\n\nQ: How long is a session?\nA: One hour.\n');
    await page.getByRole('button', { name: 'Add to knowledge' }).click();
    await page.locator('[data-testid^="document-"]').filter({ hasText: 'Studio FAQ' }).waitFor(slow);

    // A contact of the location, synced from GHL when it was connected.
    const contact = [...fake.state.contacts.values()].find((c) => c.firstName && c.lastName && !c.tags.includes('interested'))!;
    const label = `${contact.firstName} ${contact.lastName}`;
    await page.getByRole('tab', { name: 'Simulator' }).click();
    const simulator = page.getByRole('tabpanel', { name: 'Simulator' });
    const option = simulator.getByLabel('Test contact').locator('option', { hasText: label });
    for (const deadline = Date.now() + 90_000; Date.now() < deadline && (await option.count()) === 0; ) {
      await page.waitForTimeout(1_000);
      await page.reload();
      await page.getByRole('tab', { name: 'Simulator' }).click();
    }
    await simulator.getByLabel('Test contact').selectOption({ label });
    const appointments = fake.state.appointments.size;
    await simulator.getByLabel('Message', { exact: true }).fill("I'm interested, can I book an appointment?");
    await simulator.getByRole('button', { name: 'Send' }).click();

    const reply = simulator.getByTestId('bot-reply');
    const said = reply.getByText('[sandbox model]', { exact: false }).filter({ visible: true }).first();
    await said.waitFor({ timeout: 120_000 });
    expect(await said.textContent()).toMatch(/Tagged the contact "interested"[\s\S]*Booked/);
    const trace = reply.getByTestId('reply-trace');
    await trace.getByText('Why this reply').click();
    for (const tool of ['add_tag', 'find_free_slots', 'book_appointment']) await trace.getByText(tool, { exact: false }).first().waitFor();
    const goalState = JSON.parse((await trace.getByTestId('goal-state').locator('pre').textContent())!) as Record<string, unknown>;
    expect(goalState).toEqual({ book_visit: { reached: true, via: 'book_appointment', at: expect.any(String) } });
    await screenshot(page, 'bots-simulator-tag-and-book');

    // In GHL: the contact carries the tag, and one appointment on the bot's calendar is theirs.
    expect(fake.state.contacts.get(contact.id)!.tags).toContain('interested');
    expect(fake.state.appointments.size).toBe(appointments + 1);
    const booked = [...fake.state.appointments.values()].filter((a) => a.contactId === contact.id);
    expect(booked).toEqual([expect.objectContaining({ calendarId })]);
  }, 300_000);
});
