import { useId } from 'react';

const number = new Intl.NumberFormat('en-US');

/** "used / limit" of one plan limit, as a progress bar named after what it counts. */
export function UsageBar({ label, used, limit, testId }: { label: string; used: number; limit: number; testId: string }) {
  const id = useId();
  const full = limit > 0 && used >= limit;
  return (
    <div className={`usage${full ? ' usage-full' : ''}`} data-testid={testId}>
      <label htmlFor={id}>{label}</label>
      {/* max must be positive: a limit of 0 shows an empty bar. */}
      <progress id={id} value={Math.min(used, limit)} max={Math.max(limit, 1)} aria-valuetext={`${used} of ${limit}`} />
      <span className="usage-count">
        {number.format(used)} / {number.format(limit)}
      </span>
    </div>
  );
}
