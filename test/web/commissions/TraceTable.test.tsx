/** @jest-environment jsdom */
import { render, screen, within } from '@testing-library/react';
import type { TraceStep } from '../../../commissions/trace';
import { TraceTable } from '../../../web/src/commissions/TraceTable';

jest.mock('../../../web/src/components/components.css', () => ({}));

const TRACE: TraceStep[] = [
  { rule: 'plan', note: 'Plan Gold v2' },
  { rule: 'volume', base: 250000, rate: '5%', rateBps: 500, tier: 1, amountMinor: 5000, note: 'tier 1: 5% of 1000.00 USD' },
  { rule: 'volume', base: 150000, rateBps: 750, tier: 2, amountMinor: 11250, note: 'tier 2: 7.5% of 1500.00 USD' },
  { rule: 'cap-per-deal', amountMinor: 15000, note: 'capped at 150.00 USD per deal' },
];

const cells = (row: HTMLElement) => within(row).getAllByRole('cell').map((c) => c.textContent);

describe('the rule trace table', () => {
  it('shows each step as rule, base, rate, tier, amount and note, amounts in the currency', () => {
    render(<TraceTable trace={TRACE} currency="USD" label="Rule trace for Ada" />);
    const table = screen.getByRole('table', { name: 'Rule trace for Ada' });
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Rule', 'Base', 'Rate', 'Tier', 'Amount', 'Note']);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(cells)).toEqual([
      ['Plan', '', '', '', '', 'Plan Gold v2'],
      ['volume', '2500.00 USD', '5%', '1', '50.00 USD', 'tier 1: 5% of 1000.00 USD'],
      // No rate text: the basis points are shown as a percentage.
      ['volume', '1500.00 USD', '7.5%', '2', '112.50 USD', 'tier 2: 7.5% of 1500.00 USD'],
      ['Cap per deal', '', '', '', '150.00 USD', 'capped at 150.00 USD per deal'],
    ]);
  });

  it('formats amounts with the currency’s own decimals', () => {
    render(<TraceTable trace={[{ rule: 'r', base: 12345, amountMinor: 1235, note: 'n' }]} currency="JPY" />);
    expect(cells(screen.getAllByRole('row')[1]!)).toEqual(['r', '12345 JPY', '', '', '1235 JPY', 'n']);
  });

  it('shows a trace of another shape as JSON rather than failing', () => {
    render(<TraceTable trace={{ legacy: true, steps: 3 }} currency="USD" label="Rule trace" />);
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByRole('group', { name: 'Rule trace' }).textContent).toContain('"legacy"');
  });

  it('says so when there are no steps', () => {
    render(<TraceTable trace={[]} currency="USD" />);
    expect(screen.getByText('No trace was recorded.')).toBeTruthy();
  });
});
