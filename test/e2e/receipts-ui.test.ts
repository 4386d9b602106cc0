import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { laptopPage, screenshot, signUp } from './lib/builder';
import { useGhlBrowserStack } from './lib/ghl-stack';

// The receipts' "done when" in a browser on the real stack (API, worker, Temporal, Postgres), with
// the fake GHL as the sandbox location and the sandbox model reading the receipt: a person opens
// a contact with a GHL opportunity, drops a receipt on it, sees the fields read within seconds,
// corrects the total, confirms, and finds the sale it created.
// The sample a person must correct: its line items and tax (37.45 + 3.01) do not make the
// printed total (45.00), and its date was guessed (test/fixtures/receipts/README.md).
const SAMPLE = path.join(__dirname, '..', 'fixtures', 'receipts', 'hardware-store.jpg');
const sample = () => ({ name: 'hardware-store.jpg', type: 'image/jpeg', base64: readFileSync(SAMPLE).toString('base64') });

/** Drops a file on an element the way a person drags one from their desktop. */
async function dropFile(page: Page, target: Locator, file: { name: string; type: string; base64: string }): Promise<void> {
  // A string, as the other browser tests write page code: the root project has no DOM types.
  const dataTransfer = await page.evaluateHandle(`(() => {
    const f = ${JSON.stringify(file)};
    const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], f.name, { type: f.type }));
    return transfer;
  })()`);
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

/** Whether the element appears once the (re)loaded page has fetched its data. */
const shows = (locator: Locator) => locator.waitFor({ timeout: 3_000 }).then(() => true, () => false);

describe('receipts in the browser', () => {
  const stack = useGhlBrowserStack();

  it('uploads a receipt for a contact’s opportunity, corrects the total, confirms it and links the sale', async () => {
    const { fake, app, browser } = stack;
    const page = await laptopPage(browser);
    page.setDefaultTimeout(30_000);
    await signUp(page, app.url, 'receipts');

    await page.getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('button', { name: 'Connect the sandbox location' }).click();
    await page.getByTestId(`integration-${fake.locationId}`).waitFor();

    // A seeded contact with an open opportunity in GHL, synced when the location was connected.
    const opportunity = [...fake.state.opportunities.values()][0]!;
    const ghlContact = fake.state.contacts.get(opportunity.contactId)!;
    await page.getByRole('link', { name: 'Contacts' }).click();
    const row = page.getByTestId(`contact-row-${ghlContact.id}`);
    for (const deadline = Date.now() + 60_000; !(await shows(row)); ) {
      if (Date.now() > deadline) throw new Error('the contact was not synced');
      await page.reload();
    }
    await row.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: `${ghlContact.firstName} ${ghlContact.lastName}` }).waitFor();

    const receipts = page.getByTestId('contact-receipts');
    const picker = receipts.getByLabel('Opportunity', { exact: true });
    await picker.locator(`option[value="${opportunity.id}"]`).waitFor({ state: 'attached' });
    await picker.selectOption(opportunity.id);
    const file = sample();
    await dropFile(page, receipts.getByTestId('receipt-dropzone'), file);
    const uploaded = receipts.getByTestId('receipt-uploaded');
    await uploaded.waitFor();
    await screenshot(page, 'receipts-contact-uploaded');

    // The receipt page follows the reading: the fields arrive within seconds.
    await uploaded.getByRole('link', { name: 'Open the receipt' }).click();
    const form = page.getByRole('form', { name: 'Review receipt' });
    await form.waitFor({ timeout: 60_000 });
    await page.getByRole('img', { name: `Receipt ${file.name}` }).waitFor();
    await screenshot(page, 'receipts-review');

    // What the model read, with the doubtful date marked and the total that does not add up.
    const field = (label: string) => form.getByLabel(label, { exact: true });
    expect(await field('Vendor').inputValue()).toBe('Acme Hardware');
    expect(await field('Currency').inputValue()).toBe('USD');
    expect(await field('Total').inputValue()).toBe('45.00');
    expect(await field('Date').getAttribute('class')).toContain('receipt-low');
    await page.getByTestId('review-reasons').waitFor();
    const check = page.getByTestId('line-items-check');
    expect(await check.textContent()).toMatch(/add up to 37\.45 USD, not the total 45\.00 USD/);

    // The person corrects the total to what the items and the tax make.
    await field('Total').fill('40.46');
    expect(await check.textContent()).toMatch(/add up to 37\.45 USD \(the total is 40\.46 USD\)/);
    expect(await form.getByRole('checkbox', { name: /Create or update the opportunity’s sale/ }).isChecked()).toBe(true);
    await form.getByRole('button', { name: 'Confirm' }).click();

    const sale = page.getByTestId('receipt-sale');
    const saleLink = sale.getByRole('link', { name: '40.46 USD' });
    await saleLink.waitFor();
    expect(await page.getByTestId('receipt-status').textContent()).toBe('Confirmed');
    await screenshot(page, 'receipts-confirmed');

    await saleLink.click();
    await page.getByRole('heading', { level: 1, name: /^Sale 40\.46 USD/ }).waitFor();

    // The same bytes again: the earlier receipt, nothing read twice.
    await page.getByRole('link', { name: 'Contacts' }).click();
    await row.getByRole('link').click();
    await picker.locator(`option[value="${opportunity.id}"]`).waitFor({ state: 'attached' });
    await dropFile(page, receipts.getByTestId('receipt-dropzone'), file);
    const duplicate = receipts.getByTestId('receipt-duplicate');
    await duplicate.getByRole('link', { name: 'Open the earlier receipt' }).click();
    await page.getByRole('heading', { level: 1, name: /Receipt Acme Hardware/ }).waitFor();
    expect(await page.getByTestId('receipt-status').textContent()).toBe('Confirmed');
  }, 300_000);
});
