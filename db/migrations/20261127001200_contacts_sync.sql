-- Contacts reconciliation with GoHighLevel. GHL drops webhook deliveries it could not make, so
-- a scheduled sync pages through the location's contacts and fixes what webhooks missed. A run
-- remembers which contacts GHL still listed (contacts_sync_seen) so that, once it has seen them
-- all, it can tombstone the ones GHL no longer has — without carrying every id through Temporal's
-- history. The run row makes finishing idempotent: a retried finish never tombstones twice or,
-- worse, after the seen ids are gone.

-- -------------------------------------------------------------------------------------
-- Tables
-- -------------------------------------------------------------------------------------
create table public.contacts_sync_runs (
  -- Chosen by the workflow (deterministic uuid4), stable across its continue-as-new runs.
  id uuid primary key,
  organization_id uuid not null references public.organizations (id) on delete cascade,
  integration_id uuid not null,
  -- Rows written after this moment (by webhooks) are newer than the listing: never tombstoned.
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  pages integer not null default 0,
  upserted integer not null default 0,
  unchanged integer not null default 0,
  deleted integer not null default 0,
  unique (organization_id, id),
  foreign key (organization_id, integration_id) references public.integrations (organization_id, id) on delete cascade
);
create index contacts_sync_runs_integration_idx on public.contacts_sync_runs (organization_id, integration_id, started_at desc);

create table public.contacts_sync_seen (
  organization_id uuid not null,
  sync_id uuid not null,
  ghl_contact_id text not null,
  primary key (organization_id, sync_id, ghl_contact_id),
  foreign key (organization_id, sync_id) references public.contacts_sync_runs (organization_id, id) on delete cascade
);

grant select on public.contacts_sync_runs to authenticated;
grant select, insert, update on public.contacts_sync_runs to worker;
grant select, insert, delete on public.contacts_sync_seen to worker;

alter table public.contacts_sync_runs enable row level security;
alter table public.contacts_sync_runs force row level security;
alter table public.contacts_sync_seen enable row level security;
alter table public.contacts_sync_seen force row level security;

-- -------------------------------------------------------------------------------------
-- Policies
-- -------------------------------------------------------------------------------------
create policy "Sync runs are visible to members allowed to read integrations"
  on public.contacts_sync_runs for select to authenticated
  using (organization_id = any ((select app.orgs_with('integrations', 'read'))));
create policy "Sync run rows stay inside the caller's organizations"
  on public.contacts_sync_runs as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())));
-- Members never read the seen ids; the guard is here so that a future grant cannot leak them.
create policy "Seen rows stay inside the caller's organizations"
  on public.contacts_sync_seen as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));

create policy "Workers read the sync runs of the organization they act for"
  on public.contacts_sync_runs for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers start sync runs for the organization they act for"
  on public.contacts_sync_runs for insert to worker
  with check (organization_id = (select app.worker_org()));
create policy "Workers finish sync runs of the organization they act for"
  on public.contacts_sync_runs for update to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));
create policy "Workers read the seen ids of the organization they act for"
  on public.contacts_sync_seen for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers record seen ids for the organization they act for"
  on public.contacts_sync_seen for insert to worker
  with check (organization_id = (select app.worker_org()));
create policy "Workers clear seen ids of the organization they act for"
  on public.contacts_sync_seen for delete to worker
  using (organization_id = (select app.worker_org()));
create policy "Worker sync run rows stay inside the organization it acts for"
  on public.contacts_sync_runs as restrictive for all to worker
  using (organization_id = (select app.worker_org()));
create policy "Worker seen rows stay inside the organization it acts for"
  on public.contacts_sync_seen as restrictive for all to worker
  using (organization_id = (select app.worker_org()));

-- -------------------------------------------------------------------------------------
-- Triggers
-- -------------------------------------------------------------------------------------
create trigger contacts_sync_runs_fixed_org before update on public.contacts_sync_runs
  for each row execute function app.forbid_organization_change();
create trigger contacts_sync_seen_fixed_org before update on public.contacts_sync_seen
  for each row execute function app.forbid_organization_change();
