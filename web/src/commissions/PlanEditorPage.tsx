import { type FormEvent, useState } from 'react';
import { addPlanVersion, type CommissionPlanDetail, createPlan, getPlan, updatePlan } from '../api/commissions';
import { ApiError } from '../api/problem';
import type { Membership } from '../api/types';
import { TextField } from '../components/Field';
import { ErrorAlert, Loading } from '../components/Notices';
import { useToast } from '../components/Toasts';
import { may } from '../permissions';
import { Link, navigate } from '../router';
import { useLoad } from '../use-load';
import { useTitle } from '../use-title';
import { NEW_PLAN, planPath, plansPath } from './paths';
import { draftFromVersion, editorPath, emptyDraft, toVersionInput, type VersionDraft } from './plan-draft';
import { PlanPreview } from './PlanPreview';
import { type Team, useTeam } from './use-team';
import { VersionEditor } from './VersionEditor';
import { VersionHistory } from './VersionHistory';
import './commissions.css';

interface Props {
  orgId: string;
  membership: Membership;
  /** A plan's id, or "new". */
  planId: string;
}

/** `/orgs/:orgId/commission-plans/:planId`: a plan's details, a new version with its live preview, and the history. */
export function PlanEditorPage({ orgId, membership, planId }: Props) {
  const isNew = planId === NEW_PLAN;
  const plan = useLoad((signal) => (isNew ? Promise.resolve(undefined) : getPlan(orgId, planId, signal)), [orgId, planId]);
  const team = useTeam(orgId, membership);
  useTitle(isNew ? 'New commission plan' : (plan.data?.name ?? 'Commission plan'));
  const canEdit = may(membership, 'commissions', isNew ? 'create' : 'update');

  return (
    <>
      <p className="breadcrumb">
        <Link to={plansPath(orgId)}>← Commission plans</Link>
      </p>
      {!isNew && !plan.data ? (
        plan.error ? <ErrorAlert message={plan.error.message} /> : <Loading what="the plan" />
      ) : (
        // A new version saved restarts the editor from it; details saved keep what is being typed.
        <PlanEditor key={plan.data ? `${plan.data.id}/${plan.data.versionCount}` : 'new'} orgId={orgId} plan={plan.data} team={team} canEdit={canEdit} onSaved={plan.reload} />
      )}
    </>
  );
}

interface EditorProps {
  orgId: string;
  plan: CommissionPlanDetail | undefined;
  team: Team;
  canEdit: boolean;
  onSaved: () => void;
}

const DETAIL_FIELDS = ['name', 'description', 'isActive', 'memberIds'];

export function PlanEditor({ orgId, plan, team, canEdit, onSaved }: EditorProps) {
  const toast = useToast();
  const [name, setName] = useState(plan?.name ?? '');
  const [description, setDescription] = useState(plan?.description ?? '');
  const [isActive, setIsActive] = useState(plan?.isActive ?? true);
  const [memberIds, setMemberIds] = useState<ReadonlySet<string>>(new Set(plan?.memberIds ?? []));
  const [draft, setDraftState] = useState<VersionDraft>(() => (plan?.currentVersion ? draftFromVersion(plan.currentVersion, new Date()) : emptyDraft(new Date())));
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<'details' | 'version'>();
  const result = toVersionInput(draft);
  const draftErrors = result.ok ? {} : result.errors;
  const errors = { ...draftErrors, ...serverErrors };

  const setDraft = (next: VersionDraft) => {
    setDraftState(next);
    setServerErrors({});
  };
  const details = () => ({ name: name.trim(), description: description.trim(), isActive, memberIds: [...memberIds] });

  const save = async (what: 'details' | 'version', action: () => Promise<void>) => {
    setBusy(what);
    setError(undefined);
    setServerErrors({});
    try {
      await action();
    } catch (e) {
      const fields = e instanceof ApiError ? Object.fromEntries(Object.entries(e.fieldErrors()).map(([path, message]) => [editorPath(path), message])) : {};
      setServerErrors(fields);
      setError(Object.keys(fields).length > 0 ? 'Check the fields marked below.' : e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(undefined);
    }
  };

  const create = (e: FormEvent) => {
    e.preventDefault();
    void save('version', async () => {
      if (!name.trim()) throw new ApiError({ type: 'about:blank', title: 'Invalid', status: 400, errors: [{ path: 'name', message: 'Give the plan a name.' }] });
      if (!result.ok) throw new Error('Fix the marked fields of the version first.');
      const created = await createPlan(orgId, { ...details(), version: result.version });
      toast.success('Plan created', created.name);
      navigate(planPath(orgId, created.id), { replace: true });
    });
  };
  const saveDetails = () =>
    save('details', async () => {
      if (!plan) return;
      if (!name.trim()) throw new ApiError({ type: 'about:blank', title: 'Invalid', status: 400, errors: [{ path: 'name', message: 'Give the plan a name.' }] });
      await updatePlan(orgId, plan.id, details());
      toast.success('Plan saved', name.trim());
      onSaved();
    });
  const saveVersion = () =>
    save('version', async () => {
      if (!plan) return;
      if (!result.ok) throw new Error('Fix the marked fields of the version first.');
      const saved = await addPlanVersion(orgId, plan.id, result.version);
      toast.success(`Version ${saved.version} saved`, `${plan.name}, effective from ${new Date(saved.effectiveFrom).toLocaleString()}`);
      onSaved();
    });

  return (
    <>
      <h1>{plan ? plan.name : 'New commission plan'}</h1>
      <ErrorAlert message={error} />
      <form className="plan-editor" onSubmit={plan ? (e) => e.preventDefault() : create} noValidate aria-label={plan ? `Edit ${plan.name}` : 'New commission plan'}>
        <fieldset className="bare" disabled={!canEdit}>
          <section className="panel" aria-labelledby="plan-details">
            <h2 id="plan-details">Plan</h2>
            <div className="grid-2">
              <TextField label="Name" name="name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
              <TextField label="Description" name="description" maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} error={errors.description} />
            </div>
            <label className="money-checkbox">
              <input type="checkbox" checked={isActive} onChange={(e) => setIsActive(e.target.checked)} /> Active
            </label>
            <MembersPicker team={team} selected={memberIds} onChange={setMemberIds} error={errors.memberIds} />
            {plan && (
              <div className="actions">
                <button type="button" className="btn-primary" disabled={busy !== undefined} onClick={() => void saveDetails()}>
                  Save plan details
                </button>
              </div>
            )}
          </section>
          <section className="panel" aria-labelledby="plan-version">
            <h2 id="plan-version">{plan ? 'New version' : 'First version'}</h2>
            {plan?.currentVersion && (
              <p className="muted">
                Starts from v{plan.currentVersion.version}. Saving adds a version; sales already calculated keep the version they used.
              </p>
            )}
            <VersionEditor draft={draft} onChange={setDraft} errors={errors} />
            <OtherErrors errors={errors} shown={DETAIL_FIELDS} />
            <div className="actions">
              {plan ? (
                <button type="button" className="btn-primary" disabled={busy !== undefined} onClick={() => void saveVersion()}>
                  Save new version
                </button>
              ) : (
                <button type="submit" className="btn-primary" disabled={busy !== undefined}>
                  Create plan
                </button>
              )}
            </div>
          </section>
        </fieldset>
      </form>
      <PlanPreview orgId={orgId} version={result.ok ? result.version : undefined} />
      {plan && <VersionHistory plan={plan} onStartFrom={canEdit ? (v) => setDraft(draftFromVersion(v, new Date())) : undefined} />}
    </>
  );
}

function MembersPicker({ team, selected, onChange, error }: { team: Team; selected: ReadonlySet<string>; onChange: (ids: ReadonlySet<string>) => void; error?: string }) {
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    onChange(next);
  };
  return (
    <fieldset className="fieldset members-picker">
      <legend>Members</legend>
      {error && <p className="field-error">{error}</p>}
      {team.members.length === 0 ? (
        <p className="muted">{team.loading ? 'Loading the team…' : 'No team members yet: add them on the Team page.'}</p>
      ) : (
        <div className="money-checkbox-grid">
          {team.members.map((m) => (
            <label key={m.id} className="money-checkbox">
              <input type="checkbox" checked={selected.has(m.id)} onChange={(e) => toggle(m.id, e.target.checked)} /> {m.fullName}
            </label>
          ))}
        </div>
      )}
      <p className="field-hint">Members without a plan use the organization’s default plan.</p>
    </fieldset>
  );
}

/** Problems the editor has no box for (a schema rule about the whole version, say). */
function OtherErrors({ errors, shown }: { errors: Record<string, string>; shown: string[] }) {
  const known = /^(effectiveFrom|currency|note|caps\.\w+|rules(\.\d+(\.(id|rateBps|amountMinor|tiers(\.\d+\.(fromMinor|rateBps))?))?)?|overrides\.\d+(\.(id|productIds|pipelineIds|rules(\.\d+(\.(id|rateBps|amountMinor|tiers(\.\d+\.(fromMinor|rateBps))?))?)?))?)$/;
  const others = Object.entries(errors).filter(([path]) => !shown.includes(path) && !known.test(path));
  if (others.length === 0) return null;
  return (
    <ul className="field-error" aria-label="Other problems">
      {others.map(([path, message]) => (
        <li key={path}>
          {path}: {message}
        </li>
      ))}
    </ul>
  );
}
