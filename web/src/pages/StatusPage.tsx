import { useEffect, useState } from 'react';
import { TemporalUiLink } from '../components/TemporalUiLink';
import { type ComponentName, type ComponentStatus, fetchReadiness, type ReadinessReport } from '../api/readiness';

const COMPONENTS: { name: ComponentName; label: string; what: string }[] = [
  { name: 'postgres', label: 'PostgreSQL', what: 'Business data, tenant isolation' },
  { name: 'temporal', label: 'Temporal', what: 'Durable execution of every flow' },
  { name: 'worker', label: 'Worker', what: 'Runs workflows and activities' },
];
const REFRESH_MS = 5000;

export function StatusPage() {
  const [report, setReport] = useState<ReadinessReport>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const controller = new AbortController();
    const load = () =>
      fetchReadiness(controller.signal)
        .then((r) => {
          setReport(r);
          setError(undefined);
        })
        .catch((e: unknown) => {
          if (!controller.signal.aborted) setError(e instanceof Error ? e.message : String(e));
        });
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, []);

  const uiUrl = report?.temporal.uiUrl;
  const workflowId = report?.worker.workflowId;
  return (
    <main className="page">
      <header>
        <h1>Flowline</h1>
        <p className="subtitle">Platform status</p>
      </header>
      {error && (
        <p role="alert" className="banner banner-error">
          Cannot reach the API: {error}
        </p>
      )}
      <p className="overall" data-testid="overall" data-status={report?.status ?? 'loading'}>
        {report ? (report.status === 'ready' ? 'All systems ready' : 'Some parts are not ready') : 'Checking…'}
      </p>
      <section className="cards" aria-label="Components">
        {COMPONENTS.map((c) => (
          <ComponentCard key={c.name} label={c.label} what={c.what} name={c.name} status={report?.[c.name]} />
        ))}
      </section>
      {uiUrl && (
        <p className="links">
          <TemporalUiLink href={uiUrl}>Open the Temporal UI</TemporalUiLink>
          {workflowId && (
            <>
              {' · '}
              <a href={`${uiUrl}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`} target="_blank" rel="noreferrer">
                last readiness workflow
              </a>
            </>
          )}
        </p>
      )}
      {report && <p className="checked">Checked {new Date(report.checkedAt).toLocaleTimeString()}</p>}
    </main>
  );
}

function ComponentCard(props: { name: ComponentName; label: string; what: string; status?: ComponentStatus }) {
  const state = props.status?.status ?? 'loading';
  return (
    <article className={`card card-${state}`} data-testid={`component-${props.name}`} data-status={state}>
      <h2>
        <span className="dot" aria-hidden="true" />
        {props.label}
      </h2>
      <p className="state">{state === 'up' ? 'Up' : state === 'loading' ? 'Checking…' : state === 'down' ? 'Down' : 'Unknown'}</p>
      <p className="what">{props.what}</p>
      {props.status?.serverVersion && <p className="detail">Version {props.status.serverVersion}</p>}
      {props.status?.error && <p className="detail detail-error">{props.status.error}</p>}
    </article>
  );
}
