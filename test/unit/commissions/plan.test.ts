import { planVersionSchema, ruleSchema, selectPlanVersion } from '../../../commissions';
import { planWith, pct } from './helpers';

describe('plan schema', () => {
  it('fills in no overrides and no caps', () => {
    expect(planVersionSchema.parse(planWith([pct('p', 100)]))).toEqual(expect.objectContaining({ overrides: [], caps: {} }));
  });

  it.each([
    ['tiers that do not start at 0', { kind: 'tiered', id: 't', mode: 'marginal', tiers: [{ fromMinor: 10, rateBps: 100 }] }, 'the first tier starts at 0'],
    [
      'tiers out of order',
      { kind: 'tiered', id: 't', mode: 'marginal', tiers: [{ fromMinor: 0, rateBps: 100 }, { fromMinor: 0, rateBps: 200 }] },
      'tiers must start at increasing volumes',
    ],
    [
      'a falling tier rate',
      { kind: 'tiered', id: 't', mode: 'retroactive', tiers: [{ fromMinor: 0, rateBps: 500 }, { fromMinor: 100, rateBps: 200 }] },
      'a tier rate may not be lower than the tier before it',
    ],
    ['a rate above 100%', { kind: 'percentage', id: 'p', rateBps: 10_001 }, 'Too big'],
    ['a fractional flat amount', { kind: 'flat', id: 'f', amountMinor: 1.5 }, 'expected int'],
    ['a tiered rule without a mode', { kind: 'tiered', id: 't', tiers: [{ fromMinor: 0, rateBps: 100 }] }, 'mode'],
  ])('refuses %s', (_name, rule, message) => {
    const result = ruleSchema.safeParse(rule);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(message);
  });

  it('refuses an override that names neither products nor pipelines', () => {
    const result = planVersionSchema.safeParse(planWith([], { overrides: [{ id: 'o', rules: [] }] }));
    expect(result.success).toBe(false);
  });
});

describe('selectPlanVersion: the version in force at paid_at', () => {
  const versions = [
    { version: 1, effectiveFrom: '2026-01-01T00:00:00Z' },
    { version: 3, effectiveFrom: '2026-06-01T00:00:00+02:00' },
    { version: 2, effectiveFrom: '2026-03-01T00:00:00Z' },
  ];
  it.each([
    ['2025-12-31T23:59:59Z', undefined],
    ['2026-01-01T00:00:00Z', 1],
    ['2026-02-28T12:00:00Z', 1],
    ['2026-03-01T00:00:00Z', 2],
    ['2026-05-31T21:59:59Z', 2],
    ['2026-05-31T22:00:00Z', 3],
  ])('at %s -> version %s', (paidAt, version) => {
    expect(selectPlanVersion(versions, paidAt)?.version).toBe(version);
  });

  it('prefers the higher version when two start at the same instant', () => {
    expect(selectPlanVersion([...versions, { version: 4, effectiveFrom: '2026-03-01T00:00:00Z' }], '2026-04-01T00:00:00Z')?.version).toBe(4);
  });

  it('refuses a paid_at that is not a date', () => {
    expect(() => selectPlanVersion(versions, 'yesterday')).toThrow(RangeError);
  });
});
