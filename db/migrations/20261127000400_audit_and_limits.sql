-- =====================================================================================
-- Audit trail and plan limits
-- Both live in the database, not the API: every write path (API, worker, SQL console) is
-- audited, and limits hold under concurrency because the check and the counter update happen
-- under the organization's row lock.
-- =====================================================================================

-- -------------------------------------------------------------------------------------
-- audit_log: append-only. No foreign key to organizations on purpose: the trail outlives the
-- rows it describes, including a deleted organization, until the data-lifecycle purge.
-- -------------------------------------------------------------------------------------
create table public.audit_log (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  actor_user_id uuid,
  actor_role text,
  table_name text not null,
  row_id uuid,
  operation text not null check (operation in ('INSERT', 'UPDATE', 'DELETE')),
  changed_columns text[] not null default '{}',
  diff jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default clock_timestamp()
);
create index audit_log_org_time_idx on public.audit_log (organization_id, created_at desc, id desc);

grant select on public.audit_log to authenticated;

alter table public.audit_log enable row level security;
alter table public.audit_log force row level security;

create policy "Audit entries are readable by members allowed to read the audit log"
  on public.audit_log for select to authenticated
  using (organization_id = any ((select app.orgs_with('audit_log', 'read'))));
create policy "Audit rows stay inside the caller's organizations"
  on public.audit_log as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));

-- Columns whose values never enter the trail (their change is still recorded by name).
create or replace function app.audit_redacted(p_column text) returns boolean
language sql immutable set search_path = ''
as $$ select p_column in ('token_hash', 'credentials', 'encrypted_password', 'secret') $$;

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

create or replace function app.audit_log_is_append_only() returns trigger
language plpgsql set search_path = ''
as $$ begin raise exception 'audit_log is append-only' using errcode = '42501'; end $$;

create trigger audit_log_no_update before update or delete on public.audit_log
  for each row execute function app.audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on public.audit_log
  for each statement execute function app.audit_log_is_append_only();
-- Catalog rule for tenant tables (it could never fire past the trigger above, but stays uniform).
create trigger audit_log_fixed_org before update on public.audit_log
  for each row execute function app.forbid_organization_change();

create trigger organizations_audit after insert or update or delete on public.organizations
  for each row execute function app.audit();
create trigger organization_members_audit after insert or update or delete on public.organization_members
  for each row execute function app.audit();
create trigger team_members_audit after insert or update or delete on public.team_members
  for each row execute function app.audit();
create trigger invitations_audit after insert or update or delete on public.invitations
  for each row execute function app.audit();

-- -------------------------------------------------------------------------------------
-- Plan limits: members. A member counts unless suspended. The check takes the organization
-- row lock, so concurrent invitations in one organization queue up and the last one over the
-- limit fails with SQLSTATE FL402 (the API answers 402 naming the limit).
-- -------------------------------------------------------------------------------------
create or replace function app.enforce_member_limit() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  org public.organizations;
begin
  if new.status = 'suspended' or (tg_op = 'UPDATE' and old.status <> 'suspended') then
    return new; -- does not add to the count
  end if;
  select * into org from public.organizations where id = new.organization_id for update;
  if org.current_users >= org.max_users then
    raise exception 'plan limit reached: max_users is %', org.max_users
      using errcode = 'FL402', detail = jsonb_build_object('limit', 'max_users', 'max', org.max_users)::text;
  end if;
  return new;
end $$;

create or replace function app.count_members() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  org_id uuid := coalesce(new.organization_id, old.organization_id);
begin
  update public.organizations o
     set current_users = (select count(*) from public.organization_members m
                          where m.organization_id = org_id and m.status <> 'suspended')
   where o.id = org_id;
  return null;
end $$;

create trigger organization_members_limit before insert or update of status on public.organization_members
  for each row execute function app.enforce_member_limit();
create trigger organization_members_count after insert or update of status or delete on public.organization_members
  for each row execute function app.count_members();
