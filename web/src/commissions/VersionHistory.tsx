import type { CommissionPlanDetail, PlanVersion } from '../api/commissions';
import { formatTime } from '../executions/format';
import { describeRule } from './plan-draft';
import { formatMinor } from './money';

interface Props {
  plan: CommissionPlanDetail;
  /** Loads a version into the editor as the start of a new one; absent for read-only members. */
  onStartFrom?: (version: PlanVersion) => void;
}

/**
 * Every version, newest first. Versions are never edited in place: a calculation may have used
 * one (those are marked), and a change is always a new version effective from a later time.
 */
export function VersionHistory({ plan, onStartFrom }: Props) {
  return (
    <section className="panel" aria-labelledby="plan-versions">
      <h2 id="plan-versions">Versions</h2>
      <table className="table versions-table" aria-label="Plan versions">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Effective from</th>
            <th scope="col">Rules</th>
            <th scope="col">Note</th>
            <th scope="col">State</th>
            {onStartFrom && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {plan.versions.map((v) => (
            <tr key={v.id} data-testid={`plan-version-${v.version}`}>
              <td>v{v.version}</td>
              <td>
                <time dateTime={v.effectiveFrom}>{formatTime(v.effectiveFrom)}</time>
              </td>
              <td>{summary(v)}</td>
              <td>{v.note ?? <span className="muted">—</span>}</td>
              <td>
                {plan.currentVersion?.id === v.id && <span className="tag tag-current">Current</span>}{' '}
                {v.used ? (
                  <span className="tag tag-locked" title="Calculations used this version: it can no longer change. Save a new version instead.">
                    Used · locked
                  </span>
                ) : (
                  <span className="muted">Not used yet</span>
                )}
              </td>
              {onStartFrom && (
                <td>
                  <button type="button" aria-label={`Start a new version from v${v.version}`} onClick={() => onStartFrom(v)}>
                    Start from this
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function summary(v: PlanVersion): string {
  const parts = [v.rules.length ? v.rules.map((r) => describeRule(r, v.currency)).join(' + ') : 'member’s own rate'];
  if (v.overrides.length) parts.push(`${v.overrides.length} override${v.overrides.length === 1 ? '' : 's'}`);
  if (v.caps.perDealMinor !== undefined) parts.push(`cap ${formatMinor(v.caps.perDealMinor, v.currency)} per deal`);
  if (v.caps.perPeriodMinor !== undefined) parts.push(`cap ${formatMinor(v.caps.perPeriodMinor, v.currency)} per period`);
  return `${v.currency}: ${parts.join(', ')}`;
}
