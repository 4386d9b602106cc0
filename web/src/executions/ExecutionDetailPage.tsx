import { type ExecutionDetail, FINISHED, cancelExecution } from '../api/flows';
import type { Membership } from '../api/types';
import { ConfirmButton } from '../components/ConfirmButton';
import { JsonView } from '../components/JsonView';
import { ErrorAlert, Loading } from '../components/Notices';
import { StatusBadge } from '../components/StatusBadge';
import { TemporalUiLink } from '../components/TemporalUiLink';
import { useToast } from '../components/Toasts';
import { may } from '../permissions';
import { Link } from '../router';
import { useTitle } from '../use-title';
import { ExecutionTimeline } from './ExecutionTimeline';
import { durationBetween, executionPath, formatDuration, formatTime, triggerLabel, versionLabel, workflowPath } from './format';
import { useExecution } from './use-execution';
import { WaitingApprovals } from './WaitingApprovals';
import './executions.css';

interface Props {
  orgId: string;
  membership: Membership;
  executionId: string;
}

/** `/orgs/:orgId/executions/:executionId`: one run, live while it is not finished. */
export function ExecutionDetailPage(props: Props) {
  // Keyed: opening another run (a re-run) starts from nothing rather than showing the last one's steps.
  return <ExecutionDetailView key={props.executionId} {...props} />;
}

function ExecutionDetailView({ orgId, membership, executionId }: Props) {
  const { data: execution, error, refresh } = useExecution(orgId, executionId);
  useTitle(execution ? `${execution.workflowName} · execution` : 'Execution');

  return (
    <>
      <p className="breadcrumb">
        <Link to={`/orgs/${encodeURIComponent(orgId)}/executions`}>← Executions</Link>
      </p>
      {!execution ? (
        error ? (
          <ErrorAlert message={error.message} />
        ) : (
          <Loading what="the execution" />
        )
      ) : (
        <>
          {error && <ErrorAlert message={`Could not refresh: ${error.message}`} />}
          <ExecutionView orgId={orgId} membership={membership} execution={execution} onChanged={refresh} />
        </>
      )}
    </>
  );
}

function ExecutionView({ orgId, membership, execution: e, onChanged }: { orgId: string; membership: Membership; execution: ExecutionDetail; onChanged: () => void }) {
  const toast = useToast();
  const finished = FINISHED.has(e.status);
  // Each poll re-renders: running durations and open bars grow with it.
  const now = Date.now();
  const duration = durationBetween(e.startedAt, e.finishedAt, now);

  const cancel = async () => {
    await cancelExecution(orgId, e.id);
    toast.success('Cancelling the run');
    onChanged();
  };

  return (
    <>
      <header className="execution-head">
        <div>
          <h1>
            <Link to={workflowPath(orgId, e.workflowId)}>{e.workflowName}</Link>
          </h1>
          <p className="execution-status">
            <StatusBadge status={e.status} />
            {e.test && <span className="tag tag-test">test</span>}
            {!finished && <span className="muted live-dot">Live</span>}
          </p>
        </div>
        <div className="actions">
          {e.temporalUiUrl && (
            <TemporalUiLink className="button-link" href={e.temporalUiUrl}>
              Open in Temporal UI
            </TemporalUiLink>
          )}
          {!finished && may(membership, 'executions', 'update') && (
            <ConfirmButton
              className="btn-danger-outline"
              title="Cancel this run?"
              message="The run stops at its next step; steps already done are not undone."
              confirmLabel="Yes, cancel the run"
              onConfirm={cancel}
            >
              Cancel run
            </ConfirmButton>
          )}
        </div>
      </header>

      <section className="panel" aria-label="Execution facts">
        <dl className="facts execution-facts">
          <dt>Version</dt>
          <dd>{versionLabel(e)}</dd>
          <dt>Trigger</dt>
          <dd>{triggerLabel(e.triggerType)}</dd>
          {e.rerunOf && (
            <>
              <dt>Re-run of</dt>
              <dd>
                <Link to={executionPath(orgId, e.rerunOf)}>an earlier run</Link>
                {e.rerunFromNode && <span className="muted"> from {e.rerunFromNode}</span>}
              </dd>
            </>
          )}
          <dt>Created</dt>
          <dd>{formatTime(e.createdAt)}</dd>
          <dt>Started</dt>
          <dd>{formatTime(e.startedAt)}</dd>
          <dt>Finished</dt>
          <dd>{formatTime(e.finishedAt)}</dd>
          <dt>Duration</dt>
          <dd>{duration === undefined ? '—' : `${formatDuration(duration)}${finished ? '' : ' so far'}`}</dd>
        </dl>
      </section>

      {e.live && e.live.waitingApprovals.length > 0 && (
        <WaitingApprovals orgId={orgId} membership={membership} executionId={e.id} waiting={e.live.waitingApprovals} onDecided={onChanged} />
      )}

      <section className="panel" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Steps</h2>
        <ExecutionTimeline orgId={orgId} execution={e} canRerun={may(membership, 'executions', 'create')} now={now} />
      </section>

      <section className="panel" aria-labelledby="run-data-title">
        <h2 id="run-data-title">Run data</h2>
        {e.error != null && (
          <>
            <h3>Error</h3>
            <JsonView value={e.error} label="Run error" />
          </>
        )}
        <h3>Input</h3>
        <JsonView value={e.input} label="Run input" />
        <h3>Output</h3>
        {finished ? <JsonView value={e.output} label="Run output" /> : <p className="muted">The run has not finished.</p>}
      </section>
    </>
  );
}
