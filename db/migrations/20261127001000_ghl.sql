-- GoHighLevel: connected locations (integrations) with encrypted credentials, the contacts
-- they sync, and the webhook deliveries received from them (their webhookId makes a replay a
-- no-op). A location belongs to one organization at a time: webhooks name only the location.

-- -------------------------------------------------------------------------------------
-- Tables
-- -------------------------------------------------------------------------------------
create table public.integrations (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  provider text not null check (provider in ('ghl')),
  auth_type text not null check (auth_type in ('private_token', 'oauth')),
  -- The GHL location id.
  external_account_id text not null check (length(external_account_id) between 1 and 100),
  -- The agency (company) the location belongs to: GHL's user search needs it (team import).
  company_id text check (length(company_id) <= 100),
  name text not null default '' check (length(name) <= 200),
  status text not null default 'connected' check (status in ('connected', 'broken', 'disconnected')),
  status_detail text check (length(status_detail) <= 2000),
  -- AES-256-GCM envelope ("v1.<keyId>.<iv>.<tag>.<ciphertext>", base64url), see db/secrets.ts.
  credentials text not null,
  credentials_key_id text not null,
  access_expires_at timestamptz,
  -- The URL token of this location's GHL *workflow* webhook action (unsigned deliveries).
  workflow_webhook_token text not null default encode(gen_random_bytes(24), 'hex') unique,
  last_tested_at timestamptz,
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id),
  unique (provider, external_account_id)
);
create index integrations_org_idx on public.integrations (organization_id, created_at);

create table public.contacts (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  integration_id uuid,
  ghl_contact_id text not null check (length(ghl_contact_id) between 1 and 100),
  first_name text,
  last_name text,
  name text,
  email text,
  phone text,
  tags text[] not null default '{}',
  assigned_to text,
  custom_fields jsonb not null default '[]',
  source text,
  ghl_date_added timestamptz,
  -- When GHL said what this row holds (the event's timestamp, or the sync's time): an older
  -- delivery arriving late never overwrites a newer state. Null for rows made here.
  ghl_state_at timestamptz,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, ghl_contact_id),
  unique (organization_id, id),
  foreign key (organization_id, integration_id) references public.integrations (organization_id, id) on delete set null (integration_id)
);
create index contacts_org_name_idx on public.contacts (organization_id, name, id);
create index contacts_org_email_idx on public.contacts (organization_id, lower(email));

create table public.ghl_webhook_events (
  organization_id uuid not null references public.organizations (id) on delete cascade,
  webhook_id text not null check (length(webhook_id) between 1 and 200),
  integration_id uuid,
  type text not null check (length(type) between 1 and 100),
  location_id text not null,
  occurred_at timestamptz,
  body jsonb not null,
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  primary key (organization_id, webhook_id),
  foreign key (organization_id, integration_id) references public.integrations (organization_id, id) on delete set null (integration_id)
);
create index ghl_webhook_events_received_idx on public.ghl_webhook_events (organization_id, received_at);

-- -------------------------------------------------------------------------------------
-- Grants: members never read credentials (column grants); workers read and refresh them
-- -------------------------------------------------------------------------------------
grant select (id, organization_id, provider, auth_type, external_account_id, company_id, name, status, status_detail,
  credentials_key_id, access_expires_at, workflow_webhook_token, last_tested_at, created_by, created_at, updated_at)
  on public.integrations to authenticated;
grant insert, delete on public.integrations to authenticated;
grant update (name, auth_type, company_id, status, status_detail, credentials, credentials_key_id, access_expires_at, last_tested_at)
  on public.integrations to authenticated;
grant select, update on public.integrations to worker;
grant select, insert, update, delete on public.contacts to authenticated;
grant select, insert, update on public.contacts to worker;
grant select on public.ghl_webhook_events to authenticated;
grant select, insert, update on public.ghl_webhook_events to worker;

alter table public.integrations enable row level security;
alter table public.integrations force row level security;
alter table public.contacts enable row level security;
alter table public.contacts force row level security;
alter table public.ghl_webhook_events enable row level security;
alter table public.ghl_webhook_events force row level security;

-- -------------------------------------------------------------------------------------
-- Policies
-- -------------------------------------------------------------------------------------
create policy "Integrations are visible to members allowed to read them"
  on public.integrations for select to authenticated
  using (organization_id = any ((select app.orgs_with('integrations', 'read'))));
create policy "Integrations are connected by members allowed to"
  on public.integrations for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('integrations', 'create'))));
create policy "Integrations are changed by members allowed to"
  on public.integrations for update to authenticated
  using (organization_id = any ((select app.orgs_with('integrations', 'update'))))
  with check (organization_id = any ((select app.orgs_with('integrations', 'update'))));
create policy "Integrations are removed by members allowed to"
  on public.integrations for delete to authenticated
  using (organization_id = any ((select app.orgs_with('integrations', 'delete'))));

create policy "Contacts are visible to members allowed to read them"
  on public.contacts for select to authenticated
  using (organization_id = any ((select app.orgs_with('contacts', 'read'))));
create policy "Contacts are created by members allowed to"
  on public.contacts for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('contacts', 'create'))));
create policy "Contacts are updated by members allowed to"
  on public.contacts for update to authenticated
  using (organization_id = any ((select app.orgs_with('contacts', 'update'))))
  with check (organization_id = any ((select app.orgs_with('contacts', 'update'))));
create policy "Contacts are deleted by members allowed to"
  on public.contacts for delete to authenticated
  using (organization_id = any ((select app.orgs_with('contacts', 'delete'))));

create policy "GHL deliveries are visible to members allowed to read integrations"
  on public.ghl_webhook_events for select to authenticated
  using (organization_id = any ((select app.orgs_with('integrations', 'read'))));

create policy "Workers read the integrations of the organization they act for"
  on public.integrations for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers refresh the integrations of the organization they act for"
  on public.integrations for update to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));
create policy "Workers read the contacts of the organization they act for"
  on public.contacts for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers sync the contacts of the organization they act for"
  on public.contacts for insert to worker
  with check (organization_id = (select app.worker_org()));
create policy "Workers update the contacts of the organization they act for"
  on public.contacts for update to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));
create policy "Workers read the deliveries of the organization they act for"
  on public.ghl_webhook_events for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers record deliveries for the organization they act for"
  on public.ghl_webhook_events for insert to worker
  with check (organization_id = (select app.worker_org()));
create policy "Workers mark deliveries of the organization they act for"
  on public.ghl_webhook_events for update to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));

create policy "Integration rows stay inside the caller's organizations"
  on public.integrations as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Contact rows stay inside the caller's organizations"
  on public.contacts as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Delivery rows stay inside the caller's organizations"
  on public.ghl_webhook_events as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())));
create policy "Worker integration rows stay inside the organization it acts for"
  on public.integrations as restrictive for all to worker
  using (organization_id = (select app.worker_org()));
create policy "Worker contact rows stay inside the organization it acts for"
  on public.contacts as restrictive for all to worker
  using (organization_id = (select app.worker_org()));
create policy "Worker delivery rows stay inside the organization it acts for"
  on public.ghl_webhook_events as restrictive for all to worker
  using (organization_id = (select app.worker_org()));

-- -------------------------------------------------------------------------------------
-- Triggers
-- -------------------------------------------------------------------------------------
create trigger integrations_fixed_org before update on public.integrations
  for each row execute function app.forbid_organization_change();
create trigger contacts_fixed_org before update on public.contacts
  for each row execute function app.forbid_organization_change();
create trigger ghl_webhook_events_fixed_org before update on public.ghl_webhook_events
  for each row execute function app.forbid_organization_change();
create trigger integrations_touch before update on public.integrations
  for each row execute function app.touch_updated_at();
create trigger contacts_touch before update on public.contacts
  for each row execute function app.touch_updated_at();

-- Credentials are never audited by value; the key id says a rotation happened.
create or replace function app.audit_redacted(p_column text) returns boolean
language sql immutable set search_path = ''
as $$ select p_column in ('token_hash', 'credentials', 'encrypted_password', 'secret', 'webhook_token', 'webhook_secret', 'workflow_webhook_token') $$;

create trigger integrations_audit after insert or update or delete on public.integrations
  for each row execute function app.audit();

-- -------------------------------------------------------------------------------------
-- Entry points for unauthenticated GHL deliveries: which organization a location (or a
-- workflow-webhook token) belongs to. Nothing else about the organization is revealed.
-- -------------------------------------------------------------------------------------
create or replace function app.ghl_location_target(p_location_id text)
returns table (organization_id uuid, integration_id uuid)
language sql stable security definer set search_path = ''
as $$
  select i.organization_id, i.id
  from public.integrations i
  join public.organizations o on o.id = i.organization_id
  where i.provider = 'ghl' and i.external_account_id = p_location_id and i.status <> 'disconnected'
    and o.subscription_status not in ('inactive', 'cancelled')
$$;

create or replace function app.ghl_workflow_webhook_target(p_token text)
returns table (organization_id uuid, integration_id uuid, location_id text)
language sql stable security definer set search_path = ''
as $$
  select i.organization_id, i.id, i.external_account_id
  from public.integrations i
  join public.organizations o on o.id = i.organization_id
  where i.workflow_webhook_token = p_token and i.status <> 'disconnected'
    and o.subscription_status not in ('inactive', 'cancelled')
$$;

grant execute on function app.ghl_location_target(text), app.ghl_workflow_webhook_target(text) to anon;
