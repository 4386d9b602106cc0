import type { IntegrationStatus } from '../api/integrations';
import { statusLabel } from './labels';
import './integrations.css';

/** A connection's status as a pill (the shared StatusBadge speaks of runs, not connections). */
export function IntegrationStatusBadge({ status }: { status: IntegrationStatus }) {
  return (
    <span className={`status-badge integration-status-${status}`} data-status={status}>
      {statusLabel(status)}
    </span>
  );
}
