import { readFile } from 'node:fs/promises';
import { apiAs, laptopPage, screenshot, signUp } from './lib/builder';
import { useGhlBrowserStack } from './lib/ghl-stack';

// The path in a browser on the real stack, with the fake GHL as the sandbox location: a
// payment recorded on a GHL invoice arrives by webhook, is attributed to the contact's assigned
// user, waits in the approval inbox, is approved, paid out in a batch, locked, and its statement
// is downloaded as CSV with totals that reconcile to the cent.
describe('sales commissions in a real browser', () => {
  const stack = useGhlBrowserStack();

  it('takes a GHL invoice payment through the inbox, a payout batch, the lock and the CSV statement', async () => {
    const { fake, app, browser } = stack;
    const page = await laptopPage(browser);
    const { orgId } = await signUp(page, app.url, 'commissions');

    // The sandbox location and its users as the team.
    await page.getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('button', { name: 'Connect the sandbox location' }).click();
    const card = page.getByTestId(`integration-${fake.locationId}`);
    await card.getByRole('button', { name: 'Import team' }).click();
    await page.getByTestId('team-import').getByRole('button', { name: /Import \d+ change/ }).click();
    await page.getByText('Team imported').waitFor();

    // The open invoice's payer is assigned to a GHL user: that user's team member earns 12.5%.
    const invoice = [...fake.state.invoices.values()].find((i) => i.status === 'sent')!;
    const payer = fake.state.contacts.get(invoice.contactDetails.id)!;
    const seller = fake.state.users.get(payer.assignedTo!)!;
    const api = await apiAs(page, app.url);
    const team = await api<{ items: { id: string; externalId: string | null }[] }>('GET', `/orgs/${orgId}/team-members`);
    const rep = team.items.find((m) => m.externalId === seller.id)!;
    await api('PATCH', `/orgs/${orgId}/team-members/${rep.id}`, { commissionRateBps: 1250, commissionType: 'percentage' });

    // The customer pays 2,500.00 in two instalments recorded in GHL; each sends a webhook.
    const pay = async (amount: number) => {
      const res = await fetch(`${fake.url}/invoices/${invoice._id}/record-payment`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fake.privateToken}`, version: '2021-07-28', 'content-type': 'application/json' },
        body: JSON.stringify({ altId: fake.locationId, altType: 'location', mode: 'card', amount }),
      });
      expect(res.status).toBe(200);
    };
    // GHL does not promise delivery order, and a later running total arriving first is recorded
    // as one sale (see ghl-payments tests). Two instalments need the first recorded before the
    // second is paid.
    const saleCount = () => api<{ items: unknown[] }>('GET', `/orgs/${orgId}/sales-transactions`).then((r) => r.items.length);
    const untilSales = async (n: number) => {
      for (const deadline = Date.now() + 150_000; Date.now() < deadline && (await saleCount()) < n; ) await page.waitForTimeout(250);
      expect(await saleCount()).toBe(n);
    };
    await pay(1000.01);
    await untilSales(1);
    await pay(1499.99);
    await untilSales(2);

    // Both instalments wait in the approval inbox: 125.00 (half-even of 125.00125) and 187.50 (of 187.49875).
    await page.getByRole('link', { name: 'Commissions', exact: true }).click();
    await page.getByRole('heading', { name: 'Commissions', exact: true }).waitFor();
    const rows = page.locator('tr[data-testid^="calculation-"][data-status="pending"]');
    // Webhook -> event workflow -> commission workflow (attribution re-reads the contact from
    // GHL): seconds here, but much longer on a loaded 2-core machine.
    for (const deadline = Date.now() + 150_000; Date.now() < deadline && (await rows.count()) < 2; ) {
      await page.waitForTimeout(1_000);
      await page.reload();
      await page.getByRole('heading', { name: 'Commissions', exact: true }).waitFor();
      await rows.first().waitFor({ timeout: 5_000 }).catch(() => undefined);
    }
    expect(await rows.count()).toBe(2);
    await expect(page.getByText('125.00 USD').first().isVisible()).resolves.toBe(true);
    await expect(page.getByText('187.50 USD').first().isVisible()).resolves.toBe(true);
    await screenshot(page, 'commissions-inbox');

    // Approve both together, after the confirmation shows the total.
    await page.getByRole('checkbox', { name: 'Select all pending' }).check();
    await page.getByRole('button', { name: 'Approve selected' }).click();
    const confirm = page.getByRole('dialog');
    await confirm.getByText(/312\.50/).first().waitFor();
    await confirm.getByRole('button', { name: 'Confirm approval' }).click();
    await page.getByText('Approved 2').waitFor();

    // The batch gathers them into the rep's draft payout; lock it and download the statement.
    await page.getByRole('link', { name: 'Payouts', exact: true }).click();
    await page.getByRole('button', { name: 'Run payout batch now' }).click();
    const payoutRow = page.locator('tr[data-testid^="payout-"]').first();
    await payoutRow.waitFor();
    await payoutRow.getByRole('link').click();
    await page.getByRole('heading', { name: 'Payout statement' }).waitFor();
    await page.getByText('312.50 USD').filter({ visible: true }).first().waitFor();
    await page.getByRole('button', { name: 'Lock payout' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('button', { name: 'Mark paid' }).waitFor();
    await screenshot(page, 'commissions-payout');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download statement (CSV)' }).click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/date.*amount.*currency/i);
    expect(lines).toHaveLength(4); // header, two lines, total
    expect(lines.slice(1, 3).map((l) => l.match(/(\d+\.\d{2}),USD$/)?.[1]).sort()).toEqual(['125.00', '187.50']);
    expect(lines[3]).toMatch(/total.*312\.50,USD$/i);

    // The ledger agrees: two sales, two paid-out lines, one locked payout of 312.50.
    const payouts = await api<{ items: { status: string; totalMinor: number; teamMemberId: string }[] }>('GET', `/orgs/${orgId}/payouts`);
    expect(payouts.items).toEqual([expect.objectContaining({ status: 'locked', totalMinor: 31_250, teamMemberId: rep.id })]);
    const sales = await api<{ items: { amountMinor: number; source: string }[] }>('GET', `/orgs/${orgId}/sales-transactions`);
    expect(sales.items.map((s) => [s.source, s.amountMinor]).sort()).toEqual([['ghl_invoice', 100_001], ['ghl_invoice', 149_999]]);
  }, 480_000);
});
