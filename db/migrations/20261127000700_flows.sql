-- =====================================================================================
-- Flows: workflows (the editable draft), their published versions (immutable), executions,
-- the steps of each execution, and payloads too large for Temporal's history.
-- Order: tables -> helpers and triggers -> grants -> RLS -> policies -> limits -> webhook entry.
-- Users act through `authenticated` (RBAC resources `workflows` and `executions`); the flow
-- interpreter's activities act through `worker` for one organization (claims carry org_id).
-- =====================================================================================

-- -------------------------------------------------------------------------------------
-- workflows: what the builder edits. `definition` is the canvas JSON as saved; the compiled
-- IR lives in workflow_versions. The webhook token names the workflow in its public URL; the
-- secret signs webhook bodies (HMAC). Both are random per workflow and never audited by value.
-- -------------------------------------------------------------------------------------
create table public.workflows (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 200),
  description text not null default '' check (length(description) <= 2000),
  status text not null default 'draft' check (status in ('draft', 'published', 'disabled')),
  definition jsonb not null default '{"nodes":[],"edges":[]}'::jsonb check (jsonb_typeof(definition) = 'object'),
  draft_problems jsonb not null default '[]'::jsonb check (jsonb_typeof(draft_problems) = 'array'),
  trigger_type text,
  -- Which version runs; a published workflow always has one (foreign key added below).
  published_version int,
  -- 32 random bytes, base64url without padding (43 characters): safe in a URL path.
  webhook_token text not null unique
    default rtrim(translate(encode(gen_random_bytes(32), 'base64'), '+/', '-_'), '='),
  webhook_secret text not null default encode(gen_random_bytes(32), 'hex'),
  -- The Temporal schedule that starts this workflow, when its trigger is a schedule.
  schedule_id text,
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id),
  check (status <> 'published' or published_version is not null)
);
create index workflows_org_updated_idx on public.workflows (organization_id, updated_at desc, id);

-- -------------------------------------------------------------------------------------
-- workflow_versions: one row per publication, numbered 1, 2, 3… per workflow by a trigger.
-- Immutable: a run always executes exactly what was published. They go away only with their
-- workflow (or organization).
-- -------------------------------------------------------------------------------------
create table public.workflow_versions (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  workflow_id uuid not null,
  version int not null check (version >= 1),
  definition jsonb not null check (jsonb_typeof(definition) = 'object'),
  ir jsonb not null check (jsonb_typeof(ir) = 'object'),
  hash text not null,
  note text check (length(note) <= 1000),
  published_by uuid,
  created_at timestamptz not null default now(),
  unique (workflow_id, version),
  unique (organization_id, id),
  -- Target of executions' foreign key: a run names a version of its own workflow, by number too.
  unique (organization_id, workflow_id, id, version),
  foreign key (organization_id, workflow_id) references public.workflows (organization_id, id) on delete cascade
);
create index workflow_versions_org_workflow_idx on public.workflow_versions (organization_id, workflow_id, version desc);

alter table public.workflows
  add constraint workflows_published_version_fkey foreign key (id, published_version)
  references public.workflow_versions (workflow_id, version);

-- -------------------------------------------------------------------------------------
-- executions: one run of a workflow. version_id/version are null only for a test run of the
-- unpublished draft. Deleting a workflow deletes its history (runs, steps, payloads).
-- -------------------------------------------------------------------------------------
create table public.executions (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  workflow_id uuid not null,
  version_id uuid,
  version int,
  status text not null default 'queued'
    check (status in ('queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled')),
  trigger_type text not null
    check (trigger_type in ('manual', 'webhook', 'schedule', 'event', 'subflow', 'rerun')),
  input jsonb,
  output jsonb,
  error jsonb,
  temporal_workflow_id text,
  temporal_run_id text,
  idempotency_key text check (length(idempotency_key) between 1 and 200),
  rerun_of uuid,
  rerun_from_node text,
  parent_execution_id uuid,
  created_by uuid,
  started_at timestamptz,
  finished_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id),
  check ((version_id is null) = (version is null)),
  foreign key (organization_id, workflow_id) references public.workflows (organization_id, id) on delete cascade,
  foreign key (organization_id, workflow_id, version_id, version)
    references public.workflow_versions (organization_id, workflow_id, id, version) on delete cascade,
  foreign key (organization_id, rerun_of) references public.executions (organization_id, id) on delete set null (rerun_of),
  foreign key (organization_id, parent_execution_id)
    references public.executions (organization_id, id) on delete set null (parent_execution_id)
);
create index executions_org_time_idx on public.executions (organization_id, created_at desc, id desc);
create index executions_org_workflow_idx on public.executions (organization_id, workflow_id, created_at desc);
create index executions_org_status_idx on public.executions (organization_id, status, created_at desc);
-- The same trigger (e.g. a webhook delivery retried by its sender) starts one run, not two.
create unique index executions_idempotency_key on public.executions (organization_id, workflow_id, idempotency_key)
  where idempotency_key is not null;
-- Foreign-key lookups when a run is deleted (its reruns and subflow children keep existing).
create index executions_rerun_of_idx on public.executions (organization_id, rerun_of) where rerun_of is not null;
create index executions_parent_idx on public.executions (organization_id, parent_execution_id) where parent_execution_id is not null;

-- -------------------------------------------------------------------------------------
-- execution_steps: one row per node run; inside loops one per iteration ("loop1:3").
-- -------------------------------------------------------------------------------------
create table public.execution_steps (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  execution_id uuid not null,
  node_id text not null check (length(node_id) between 1 and 200),
  node_type text not null,
  iteration text not null default '',
  attempt int not null default 1 check (attempt >= 1),
  status text not null default 'running'
    check (status in ('running', 'succeeded', 'failed', 'skipped', 'waiting', 'cancelled')),
  input jsonb,
  output jsonb,
  error jsonb,
  output_truncated boolean not null default false,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (execution_id, node_id, iteration),
  foreign key (organization_id, execution_id) references public.executions (organization_id, id) on delete cascade
);
create index execution_steps_org_execution_idx on public.execution_steps (organization_id, execution_id, started_at);

-- -------------------------------------------------------------------------------------
-- execution_payloads: values too large for Temporal's history or for a step row; workflows
-- carry the id instead.
-- -------------------------------------------------------------------------------------
create table public.execution_payloads (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  execution_id uuid not null,
  data jsonb not null,
  bytes int not null check (bytes >= 0),
  created_at timestamptz not null default now(),
  foreign key (organization_id, execution_id) references public.executions (organization_id, id) on delete cascade
);
create index execution_payloads_org_execution_idx on public.execution_payloads (organization_id, execution_id);

-- -------------------------------------------------------------------------------------
-- Helpers and rules
-- -------------------------------------------------------------------------------------

/**
 * Stamps the signed-in author into the column named by the trigger argument, so a user's
 * request cannot attribute a row to someone else. Rows written by workers or the platform
 * keep what they were given.
 */
create or replace function app.stamp_author() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if current_user = 'authenticated' then
    new := jsonb_populate_record(new, jsonb_build_object(tg_argv[0], auth.uid()));
  end if;
  return new;
end $$;

/**
 * Numbers a new version: the next one of its workflow. Runs as the caller (not SECURITY
 * DEFINER), so it reads and locks only what the caller's RLS allows; the workflow row lock
 * queues concurrent publications of one workflow. A workflow the caller cannot lock (missing,
 * in another organization, or not updatable by the caller) gets the same refusal in each case.
 */
create or replace function app.number_workflow_version() returns trigger
language plpgsql set search_path = ''
as $$
declare
  next_version int;
begin
  perform 1 from public.workflows w
  where w.id = new.workflow_id and w.organization_id = new.organization_id
  for no key update;
  if not found then
    raise exception 'no workflow to publish a version of' using errcode = '42501';
  end if;
  select coalesce(max(v.version), 0) + 1 into next_version from public.workflow_versions v where v.workflow_id = new.workflow_id;
  if new.version is not null and new.version <> next_version then
    raise exception 'the next version of this workflow is %', next_version using errcode = 'FL409';
  end if;
  new.version := next_version;
  return new;
end $$;

/**
 * Versions never change. The one delete allowed is the cascade of their workflow's (or
 * organization's) deletion: it runs as the table owner, not a request role, once the parent
 * row is gone. A request role that tried (it holds no grant anyway) or the owner deleting a
 * version of a live workflow is refused.
 */
create or replace function app.workflow_version_is_immutable() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if tg_op = 'DELETE' and current_user not in ('authenticated', 'worker', 'anon')
     and (not exists (select 1 from public.workflows w where w.id = old.workflow_id)
          or not exists (select 1 from public.organizations o where o.id = old.organization_id)) then
    return old;
  end if;
  raise exception 'workflow versions are immutable' using errcode = '42501';
end $$;

create or replace function app.workflow_versions_cannot_be_truncated() returns trigger
language plpgsql set search_path = ''
as $$ begin raise exception 'workflow versions are immutable' using errcode = '42501'; end $$;

/**
 * Execution status rules, for every writer: a finished run (succeeded, failed, cancelled) keeps
 * its status; started_at / finished_at are stamped when a run starts / finishes. Users start a
 * run only as a queued manual run or rerun, and afterwards may only cancel it: the rest of the
 * row is written by workers.
 */
create or replace function app.execution_rules() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and old.status in ('succeeded', 'failed', 'cancelled') and new.status is distinct from old.status then
    raise exception 'this execution already finished (%)', old.status using errcode = 'FL409';
  end if;
  if current_user = 'authenticated' then
    if tg_op = 'INSERT' and (new.status <> 'queued' or new.trigger_type not in ('manual', 'rerun')
        or new.output is not null or new.error is not null or new.started_at is not null or new.finished_at is not null) then
      raise exception 'users start an execution as a queued manual run or rerun' using errcode = '42501';
    end if;
    if tg_op = 'UPDATE' and (
        (to_jsonb(new) - array['status', 'updated_at']) is distinct from (to_jsonb(old) - array['status', 'updated_at'])
        or (new.status is distinct from old.status and new.status <> 'cancelled')) then
      raise exception 'users can only cancel an execution' using errcode = '42501';
    end if;
  end if;
  if new.status in ('running', 'waiting') and new.started_at is null then
    new.started_at := now();
  end if;
  if new.status in ('succeeded', 'failed', 'cancelled') and new.finished_at is null then
    new.finished_at := now();
  end if;
  return new;
end $$;

-- -------------------------------------------------------------------------------------
-- Audit: secrets by name only (the previous list plus the webhook credentials), and bulky
-- documents (canvas definitions, IR, problem lists) by size only: an autosaving builder would
-- otherwise copy every draft twice into the append-only trail.
-- -------------------------------------------------------------------------------------
create or replace function app.audit_redacted(p_column text) returns boolean
language sql immutable set search_path = ''
as $$ select p_column in ('token_hash', 'credentials', 'encrypted_password', 'secret', 'webhook_token', 'webhook_secret') $$;

create or replace function app.audit_summarized(p_column text) returns boolean
language sql immutable set search_path = ''
as $$ select p_column in ('definition', 'ir', 'draft_problems') $$;

create or replace function app.audit() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  old_row jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
  new_row jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
  row_data jsonb := coalesce(new_row, old_row);
  cols text[];
  diff jsonb := '{}'::jsonb;
  col text;
begin
  select coalesce(array_agg(k order by k), '{}') into cols
  from jsonb_object_keys(row_data) as k
  -- Timestamps and derived usage counters (current_*) change as side effects: not events.
  where k not in ('updated_at', 'created_at') and k not like 'current\_%'
    and (tg_op <> 'UPDATE' or old_row -> k is distinct from new_row -> k);
  if tg_op = 'UPDATE' and cardinality(cols) = 0 then
    return null; -- a no-op update is not an event
  end if;
  foreach col in array cols loop
    diff := diff || jsonb_build_object(col, case
      when app.audit_redacted(col) then '"[redacted]"'::jsonb
      when app.audit_summarized(col) then jsonb_build_object(
        'old_bytes', octet_length((old_row -> col)::text), 'new_bytes', octet_length((new_row -> col)::text))
      else jsonb_build_object('old', old_row -> col, 'new', new_row -> col) end);
  end loop;
  insert into public.audit_log (organization_id, actor_user_id, actor_role, table_name, row_id, operation, changed_columns, diff)
  values (
    coalesce((row_data ->> 'organization_id')::uuid, (row_data ->> 'id')::uuid),
    auth.uid(),
    auth.role(),
    tg_table_name,
    (row_data ->> 'id')::uuid,
    tg_op,
    cols,
    diff
  );
  return null;
end $$;

-- -------------------------------------------------------------------------------------
-- Triggers
-- Audited: workflows and their versions. Not audited: executions, steps and payloads; they are
-- written on every node of every run (too hot for the trail) and are themselves the history.
-- -------------------------------------------------------------------------------------
create trigger workflows_fixed_org before update on public.workflows
  for each row execute function app.forbid_organization_change();
create trigger workflow_versions_fixed_org before update on public.workflow_versions
  for each row execute function app.forbid_organization_change();
create trigger executions_fixed_org before update on public.executions
  for each row execute function app.forbid_organization_change();
create trigger execution_steps_fixed_org before update on public.execution_steps
  for each row execute function app.forbid_organization_change();
create trigger execution_payloads_fixed_org before update on public.execution_payloads
  for each row execute function app.forbid_organization_change();

create trigger workflows_touch before update on public.workflows
  for each row execute function app.touch_updated_at();
create trigger executions_touch before update on public.executions
  for each row execute function app.touch_updated_at();

create trigger workflows_author before insert on public.workflows
  for each row execute function app.stamp_author('created_by');
create trigger workflow_versions_author before insert on public.workflow_versions
  for each row execute function app.stamp_author('published_by');
create trigger executions_author before insert on public.executions
  for each row execute function app.stamp_author('created_by');

create trigger workflow_versions_number before insert on public.workflow_versions
  for each row execute function app.number_workflow_version();
create trigger workflow_versions_immutable before update or delete on public.workflow_versions
  for each row execute function app.workflow_version_is_immutable();
create trigger workflow_versions_no_truncate before truncate on public.workflow_versions
  for each statement execute function app.workflow_versions_cannot_be_truncated();

create trigger executions_rules before insert or update on public.executions
  for each row execute function app.execution_rules();

create trigger workflows_audit after insert or update or delete on public.workflows
  for each row execute function app.audit();
create trigger workflow_versions_audit after insert or update or delete on public.workflow_versions
  for each row execute function app.audit();

-- -------------------------------------------------------------------------------------
-- Grants (RLS decides which rows). Versions: insert only (publishing). Steps and payloads are
-- written by workers only. Nobody but the platform deletes steps or payloads (they go with
-- their execution).
-- -------------------------------------------------------------------------------------
grant select, insert, update, delete on public.workflows, public.executions to authenticated;
grant select, insert on public.workflow_versions to authenticated;
grant select on public.execution_steps, public.execution_payloads to authenticated;

grant select on public.workflows, public.workflow_versions to worker;
grant select, insert, update on public.executions, public.execution_steps, public.execution_payloads to worker;

-- -------------------------------------------------------------------------------------
-- RLS: enabled and forced everywhere
-- -------------------------------------------------------------------------------------
alter table public.workflows enable row level security;
alter table public.workflows force row level security;
alter table public.workflow_versions enable row level security;
alter table public.workflow_versions force row level security;
alter table public.executions enable row level security;
alter table public.executions force row level security;
alter table public.execution_steps enable row level security;
alter table public.execution_steps force row level security;
alter table public.execution_payloads enable row level security;
alter table public.execution_payloads force row level security;

-- -------------------------------------------------------------------------------------
-- Policies for users: one per command, named as sentences
-- -------------------------------------------------------------------------------------
create policy "Workflows are visible to members allowed to read them"
  on public.workflows for select to authenticated
  using (organization_id = any ((select app.orgs_with('workflows', 'read'))));
create policy "Workflows are created by members allowed to"
  on public.workflows for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('workflows', 'create'))));
create policy "Workflows are updated by members allowed to"
  on public.workflows for update to authenticated
  using (organization_id = any ((select app.orgs_with('workflows', 'update'))))
  with check (organization_id = any ((select app.orgs_with('workflows', 'update'))));
create policy "Workflows are deleted by members allowed to"
  on public.workflows for delete to authenticated
  using (organization_id = any ((select app.orgs_with('workflows', 'delete'))));

create policy "Workflow versions are visible to members allowed to read workflows"
  on public.workflow_versions for select to authenticated
  using (organization_id = any ((select app.orgs_with('workflows', 'read'))));
create policy "Workflow versions are published by members allowed to update workflows"
  on public.workflow_versions for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('workflows', 'update'))));

create policy "Executions are visible to members allowed to read them"
  on public.executions for select to authenticated
  using (organization_id = any ((select app.orgs_with('executions', 'read'))));
create policy "Executions are started by members allowed to create them"
  on public.executions for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('executions', 'create'))));
create policy "Executions are cancelled by members allowed to update them"
  on public.executions for update to authenticated
  using (organization_id = any ((select app.orgs_with('executions', 'update'))))
  with check (organization_id = any ((select app.orgs_with('executions', 'update'))));
create policy "Executions are deleted by members allowed to"
  on public.executions for delete to authenticated
  using (organization_id = any ((select app.orgs_with('executions', 'delete'))));

create policy "Execution steps are visible to members allowed to read executions"
  on public.execution_steps for select to authenticated
  using (organization_id = any ((select app.orgs_with('executions', 'read'))));

create policy "Execution payloads are visible to members allowed to read executions"
  on public.execution_payloads for select to authenticated
  using (organization_id = any ((select app.orgs_with('executions', 'read'))));

-- A restrictive guard on every tenant table: whatever other policies say, a row outside the
-- caller's organizations is never visible nor writable.
create policy "Workflow rows stay inside the caller's organizations"
  on public.workflows as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Workflow version rows stay inside the caller's organizations"
  on public.workflow_versions as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Execution rows stay inside the caller's organizations"
  on public.executions as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Execution step rows stay inside the caller's organizations"
  on public.execution_steps as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Execution payload rows stay inside the caller's organizations"
  on public.execution_payloads as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));

-- -------------------------------------------------------------------------------------
-- Policies for workers: they read what they run and record how it runs, for the one
-- organization their claims name.
-- -------------------------------------------------------------------------------------
create policy "Workers read the workflows of the organization they act for"
  on public.workflows for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers read the workflow versions of the organization they act for"
  on public.workflow_versions for select to worker
  using (organization_id = (select app.worker_org()));

create policy "Workers read the executions of the organization they act for"
  on public.executions for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers start executions in the organization they act for"
  on public.executions for insert to worker
  with check (organization_id = (select app.worker_org()));
create policy "Workers record the progress of executions of the organization they act for"
  on public.executions for update to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));

create policy "Workers read the steps of the organization they act for"
  on public.execution_steps for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers record steps in the organization they act for"
  on public.execution_steps for insert to worker
  with check (organization_id = (select app.worker_org()));
create policy "Workers update steps of the organization they act for"
  on public.execution_steps for update to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));

create policy "Workers read the payloads of the organization they act for"
  on public.execution_payloads for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers store payloads in the organization they act for"
  on public.execution_payloads for insert to worker
  with check (organization_id = (select app.worker_org()));
create policy "Workers update payloads of the organization they act for"
  on public.execution_payloads for update to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));

create policy "Worker workflow rows stay inside the organization it acts for"
  on public.workflows as restrictive for all to worker
  using (organization_id = (select app.worker_org()));
create policy "Worker workflow version rows stay inside the organization it acts for"
  on public.workflow_versions as restrictive for all to worker
  using (organization_id = (select app.worker_org()));
create policy "Worker execution rows stay inside the organization it acts for"
  on public.executions as restrictive for all to worker
  using (organization_id = (select app.worker_org()));
create policy "Worker execution step rows stay inside the organization it acts for"
  on public.execution_steps as restrictive for all to worker
  using (organization_id = (select app.worker_org()));
create policy "Worker execution payload rows stay inside the organization it acts for"
  on public.execution_payloads as restrictive for all to worker
  using (organization_id = (select app.worker_org()));

-- -------------------------------------------------------------------------------------
-- Plan limit: workflows. Same shape as the seat limit (app.count_members): an AFTER trigger,
-- so RLS has accepted the row first; it locks the organization row FOR NO KEY UPDATE, then
-- counts in a fresh statement, so concurrent creations queue and the ones over the limit fail
-- with SQLSTATE FL402.
-- -------------------------------------------------------------------------------------
create or replace function app.count_workflows() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  org_id uuid := coalesce(new.organization_id, old.organization_id);
  workflow_limit int;
  workflow_count int;
begin
  select o.max_workflows into workflow_limit from public.organizations o where o.id = org_id for no key update;
  select count(*) into workflow_count from public.workflows w where w.organization_id = org_id;
  if tg_op = 'INSERT' and workflow_count > workflow_limit then
    raise exception 'plan limit reached: max_workflows is %', workflow_limit
      using errcode = 'FL402', detail = jsonb_build_object('limit', 'max_workflows', 'max', workflow_limit)::text;
  end if;
  update public.organizations o set current_workflows = workflow_count where o.id = org_id;
  return null;
end $$;

create trigger workflows_count after insert or delete on public.workflows
  for each row execute function app.count_workflows();

-- -------------------------------------------------------------------------------------
-- The public webhook endpoint has no user: `anon` resolves a token to what it may start, and
-- to nothing at all unless the workflow is published and its organization's subscription is
-- live. The version returned is the published one (normally the latest; older after a
-- rollback).
-- -------------------------------------------------------------------------------------
create or replace function app.webhook_target(p_token text)
returns table (
  organization_id uuid, workflow_id uuid, status text, trigger_type text,
  version_id uuid, version int, ir jsonb, webhook_secret text
)
language sql stable security definer set search_path = ''
as $$
  select w.organization_id, w.id, w.status, w.trigger_type, v.id, v.version, v.ir, w.webhook_secret
  from public.workflows w
  join public.organizations o on o.id = w.organization_id
  join public.workflow_versions v on v.workflow_id = w.id and v.version = w.published_version
  where w.webhook_token = p_token
    and w.status = 'published'
    and o.subscription_status not in ('inactive', 'cancelled')
$$;

grant execute on function app.webhook_target(text) to anon;
