/** @jest-environment jsdom */
import { act, screen, waitFor, within } from '@testing-library/react';
import { planVersionSchema } from '../../../commissions/plan';
import { previewPlan } from '../../../commissions/preview';
import type { CommissionPlanDetail, PlanVersion, PreviewRequest, VersionInput } from '../../../web/src/api/commissions';
import { PlanEditorPage } from '../../../web/src/commissions/PlanEditorPage';
import { PREVIEW_DEBOUNCE_MS } from '../../../web/src/commissions/PlanPreview';
import { membership, ORG_ID } from './fixtures';
import { type ApiCall, mockApi, renderPage, setUpBrowser } from './harness';

jest.mock('../../../web/src/components/components.css', () => ({}));
jest.mock('../../../web/src/commissions/commissions.css', () => ({}));

const PREVIEW = `POST /orgs/${ORG_ID}/commission-plans/preview`;
const CREATE = `POST /orgs/${ORG_ID}/commission-plans`;

// The fake API prices the preview with the real engine, as the API does.
const preview = (call: ApiCall) => {
  const { version, samplesMinor } = call.body as PreviewRequest;
  return { body: { rows: previewPlan({ planId: 'preview', version: 1, effectiveFrom: '2000-01-01T00:00:00Z', ...version }, samplesMinor) } };
};

/** What the API would accept: the editor's VersionInput checked against the engine's own schema. */
function expectValidVersion(version: VersionInput) {
  const { note: _note, ...rest } = version;
  const parsed = planVersionSchema.safeParse({ planId: 'plan', version: 1, ...rest });
  expect(parsed.error?.issues ?? []).toEqual([]);
}

beforeEach(() => {
  setUpBrowser();
  jest.useFakeTimers();
});
afterEach(() => jest.useRealTimers());

function openNew(routes = {}) {
  const api = mockApi({ [PREVIEW]: preview, ...routes });
  const page = renderPage(<PlanEditorPage orgId={ORG_ID} membership={membership('administrator')} planId="new" />, { advanceTimers: jest.advanceTimersByTime });
  return { api, ...page };
}

const advance = (ms: number) => act(async () => void (await jest.advanceTimersByTimeAsync(ms)));

describe('the plan editor', () => {
  it('previews the plan on the sample amounts once the user pauses', async () => {
    const { api, user } = openNew();
    await advance(PREVIEW_DEBOUNCE_MS);
    await waitFor(() => expect(api.to(PREVIEW)).toHaveLength(1));
    expect(api.to(PREVIEW)[0]!.body).toEqual({
      version: { currency: 'USD', rules: [{ kind: 'percentage', id: 'base-rate', rateBps: 1000 }], overrides: [], caps: {} },
      samplesMinor: [10000, 100000, 1000000],
    });
    const table = await screen.findByRole('table', { name: 'Preview' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell').slice(0, 3).map((c) => c.textContent))).toEqual([
      ['100.00 USD', '10.00 USD', '10%'],
      ['1000.00 USD', '100.00 USD', '10%'],
      ['10000.00 USD', '1000.00 USD', '10%'],
    ]);
    await user.click(within(rows[1]!).getByRole('button', { name: 'Show trace' }));
    expect(within(screen.getByRole('table', { name: 'Trace for 1000.00 USD' })).getByText('1000.00 USD', { selector: 'td.num' })).toBeTruthy();

    // Typing a new rate asks once, after the pause, not per keystroke.
    const rate = within(screen.getByRole('group', { name: 'Rule 1' })).getByLabelText('Rate (%)');
    await user.clear(rate);
    await user.type(rate, '12.5');
    await advance(PREVIEW_DEBOUNCE_MS - 1);
    expect(api.to(PREVIEW)).toHaveLength(1);
    await advance(1);
    await waitFor(() => expect(api.to(PREVIEW)).toHaveLength(2));
    expect((api.to(PREVIEW)[1]!.body as PreviewRequest).version.rules).toEqual([{ kind: 'percentage', id: 'base-rate', rateBps: 1250 }]);
    await waitFor(() => expect(within(screen.getByTestId('preview-row-0')).getByText('12.50 USD')).toBeTruthy());

    // An edited sample is sent in minor units.
    const sample = screen.getByLabelText('Sample sale 1');
    await user.clear(sample);
    await user.type(sample, '0.29');
    await advance(PREVIEW_DEBOUNCE_MS);
    await waitFor(() => expect((api.to(PREVIEW).at(-1)!.body as PreviewRequest).samplesMinor).toEqual([29, 100000, 1000000]));
  });

  it('creates a plan whose version passes the engine’s schema', async () => {
    const { api, user } = openNew({
      [CREATE]: (call: ApiCall) => ({ status: 201, body: { id: 'plan-9', name: (call.body as { name: string }).name } }),
    });
    await screen.findByLabelText('Ada Lovelace');
    await user.type(screen.getByLabelText('Name'), 'Gold');
    await user.click(screen.getByLabelText('Ada Lovelace'));
    await user.click(screen.getByLabelText('Bob Stone'));

    // A tiered rule: 5% up to 1,000.00 of period volume, 7.5% above.
    await user.click(screen.getByRole('button', { name: 'Add tiered rule' }));
    const tiered = screen.getByRole('group', { name: 'Rule 2' });
    await user.selectOptions(within(tiered).getByLabelText('Mode'), 'retroactive');
    await user.type(within(tiered).getByLabelText('Tier 1 rate (%)'), '5');
    await user.click(within(tiered).getByRole('button', { name: 'Add tier' }));
    await user.type(within(tiered).getByLabelText('Tier 2 from'), '1,000.00');
    await user.type(within(tiered).getByLabelText('Tier 2 rate (%)'), '7.5');
    // A flat bonus for one product, and a cap per deal.
    await user.click(screen.getByRole('button', { name: 'Add override' }));
    const override = screen.getByRole('group', { name: 'Override 1' });
    await user.type(within(override).getByLabelText('Product ids'), 'prod-a, prod-b');
    await user.click(within(override).getByRole('button', { name: 'Remove override 1 rule 1' }));
    await user.click(within(override).getByRole('button', { name: 'Add flat rule to override 1' }));
    await user.type(within(override).getByLabelText('Amount per sale (USD)'), '50');
    await user.type(screen.getByLabelText('Per deal (USD)'), '2500.00');

    await user.click(screen.getByRole('button', { name: 'Create plan' }));
    await waitFor(() => expect(api.to(CREATE)).toHaveLength(1));
    const body = api.to(CREATE)[0]!.body as { name: string; isActive: boolean; memberIds: string[]; version: VersionInput };
    expect(body).toMatchObject({ name: 'Gold', isActive: true, memberIds: ['tm-ada', 'tm-bob'] });
    expectValidVersion(body.version);
    expect(body.version).toMatchObject({
      currency: 'USD',
      rules: [
        { kind: 'percentage', id: 'base-rate', rateBps: 1000 },
        { kind: 'tiered', id: 'tiered-2', mode: 'retroactive', tiers: [{ fromMinor: 0, rateBps: 500 }, { fromMinor: 100000, rateBps: 750 }] },
      ],
      overrides: [{ id: 'override-1', productIds: ['prod-a', 'prod-b'], rules: [{ kind: 'flat', id: 'flat-1', amountMinor: 5000 }] }],
      caps: { perDealMinor: 250000 },
    });
    expect(Number.isNaN(Date.parse(body.version.effectiveFrom))).toBe(false);
    await waitFor(() => expect(location.pathname).toBe(`/orgs/${ORG_ID}/commission-plans/plan-9`));
  });

  it('marks what the engine would refuse and neither previews nor saves it', async () => {
    const { api, user } = openNew();
    await advance(PREVIEW_DEBOUNCE_MS);
    await waitFor(() => expect(api.to(PREVIEW)).toHaveLength(1));
    await user.type(screen.getByLabelText('Name'), 'Broken');
    await user.click(screen.getByRole('button', { name: 'Add tiered rule' }));
    const tiered = screen.getByRole('group', { name: 'Rule 2' });
    await user.type(within(tiered).getByLabelText('Tier 1 rate (%)'), '8');
    await user.click(within(tiered).getByRole('button', { name: 'Add tier' }));
    await user.type(within(tiered).getByLabelText('Tier 2 from'), '500');
    // A falling tier rate: the engine's schema refuses it.
    await user.type(within(tiered).getByLabelText('Tier 2 rate (%)'), '4');
    expect(within(tiered).getByText('a tier rate may not be lower than the tier before it')).toBeTruthy();
    await user.type(within(screen.getByRole('group', { name: 'Rule 1' })).getByLabelText('Rate (%)'), '5');
    expect(within(screen.getByRole('group', { name: 'Rule 1' })).getByText(/Enter a percentage from 0 to 100/)).toBeTruthy();
    expect(screen.getByText('Fix the plan’s marked fields to see what it pays.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Create plan' }));
    await advance(PREVIEW_DEBOUNCE_MS);
    expect(api.to(CREATE)).toHaveLength(0);
    expect(api.to(PREVIEW)).toHaveLength(1);
    expect(screen.getByRole('alert').textContent).toBe('Fix the marked fields of the version first.');
  });

  it('saves a change to a plan as a new version and keeps used versions locked', async () => {
    const v1: PlanVersion = {
      id: 'pv1',
      version: 1,
      effectiveFrom: '2026-01-01T00:00:00.000Z',
      currency: 'EUR',
      rules: [{ kind: 'percentage', id: 'base', rateBps: 1250 }],
      overrides: [],
      caps: { perPeriodMinor: 500000 },
      note: 'launch',
      used: true,
      createdAt: '2026-01-01T00:00:00Z',
    };
    const plan: CommissionPlanDetail = {
      id: 'plan-1',
      name: 'Standard',
      description: null,
      isActive: true,
      isDefault: true,
      memberIds: ['tm-ada'],
      currentVersion: v1,
      versionCount: 1,
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
      versions: [v1],
    };
    const api = mockApi({
      [`GET /orgs/${ORG_ID}/commission-plans/plan-1`]: () => ({ body: plan }),
      [`POST /orgs/${ORG_ID}/commission-plans/plan-1/versions`]: (call) => ({ status: 201, body: { ...v1, ...(call.body as object), id: 'pv2', version: 2, used: false } }),
      [PREVIEW]: preview,
    });
    const { user } = renderPage(<PlanEditorPage orgId={ORG_ID} membership={membership('administrator')} planId="plan-1" />, { advanceTimers: jest.advanceTimersByTime });
    await screen.findByRole('heading', { level: 1, name: 'Standard' });
    const history = screen.getByTestId('plan-version-1');
    expect(within(history).getByText('Used · locked')).toBeTruthy();
    expect(within(history).getByText('Current')).toBeTruthy();

    // The editor starts from the current version.
    const rate = within(screen.getByRole('group', { name: 'Rule 1' })).getByLabelText('Rate (%)') as HTMLInputElement;
    expect(rate.value).toBe('12.5');
    expect((screen.getByLabelText('Per period (EUR)') as HTMLInputElement).value).toBe('5000.00');
    await user.clear(rate);
    await user.type(rate, '15');
    await user.type(screen.getByLabelText('Version note'), 'Spring raise');
    await user.click(screen.getByRole('button', { name: 'Save new version' }));

    const saved = api.to(`POST /orgs/${ORG_ID}/commission-plans/plan-1/versions`);
    await waitFor(() => expect(saved).toHaveLength(1));
    const version = saved[0]!.body as VersionInput;
    expectValidVersion(version);
    expect(version).toMatchObject({ currency: 'EUR', rules: [{ kind: 'percentage', id: 'base', rateBps: 1500 }], caps: { perPeriodMinor: 500000 }, note: 'Spring raise' });
    await waitFor(() => expect(api.to(`GET /orgs/${ORG_ID}/commission-plans/plan-1`)).toHaveLength(2));
  });
});
