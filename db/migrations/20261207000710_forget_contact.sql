-- "Forget this contact": removes a contact's personal data from everywhere Flowline holds it,
-- at once and for good (no trash, no archive), and records that it happened (without the data)
-- in the audit trail. What goes:
--   the contact row; its bot conversations and messages (cascade);
--   flow runs whose input, output, error, steps or stored payloads mention the contact's GHL id,
--     e-mail or phone (with their GHL action records, by cascade);
--   received GHL webhook deliveries that mention it;
--   audit entries whose recorded values mention it (redacted: the entry stays, its values go).
-- What stays, without the link: sales and receipts (business records; their contact_id is set to
-- null). GHL itself is not touched: the contact lives on in the agency's CRM.
-- A tombstone (a hash of the GHL contact id, not the id) stops a later sync or webhook from
-- bringing the contact back into Flowline.
-- The caller deletes the Temporal executions whose ids the function answers (their histories
-- hold the same data, encrypted).
-- Order: tables -> grants -> RLS -> policies -> functions -> triggers.

create table public.forgotten_contacts (
  organization_id uuid not null references public.organizations (id) on delete cascade,
  -- sha256 of the GHL contact id, hex: enough to recognise it again, not to tell who it was.
  ghl_contact_hash text not null check (ghl_contact_hash ~ '^[0-9a-f]{64}$'),
  forgotten_at timestamptz not null default now(),
  forgotten_by uuid,
  primary key (organization_id, ghl_contact_hash)
);

-- No grants: written and read only by the functions below.
alter table public.forgotten_contacts enable row level security;
alter table public.forgotten_contacts force row level security;

create policy "Forgotten contact rows stay inside the caller's organizations"
  on public.forgotten_contacts as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Worker forgotten contact rows stay inside the organization it acts for"
  on public.forgotten_contacts as restrictive for all to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));

create or replace function app.ghl_contact_hash(p_ghl_contact_id text) returns text
language sql immutable set search_path = ''
as $$ select encode(sha256(convert_to(p_ghl_contact_id, 'UTF8')), 'hex') $$;

/** Whether a jsonb value mentions any of the terms (case-insensitive, as text). */
create or replace function app.mentions_any(p_value jsonb, p_terms text[]) returns boolean
language sql immutable set search_path = ''
as $$
  select p_value is not null and exists (select 1 from unnest(p_terms) t where strpos(lower(p_value::text), t) > 0)
$$;

/**
 * Forgets one contact of p_org. Only members who may delete contacts there. Answers null when
 * there is no such contact, otherwise what was removed and the Temporal workflow ids to delete.
 */
create or replace function app.forget_contact(p_org uuid, p_contact uuid) returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  c record;
  terms text[];
  workflow_ids text[];
  n_conversations int;
  n_messages int;
  n_executions int;
  n_events int;
  n_audit int;
  n_sales int;
  n_receipts int;
begin
  if not app.has_permission(p_org, 'contacts', 'delete') then
    raise exception 'forgetting a contact needs contacts:delete' using errcode = '42501';
  end if;
  select * into c from public.contacts where organization_id = p_org and id = p_contact for update;
  if not found then
    return null;
  end if;

  -- What identifies the person in free-form data. Short values would match too much.
  terms := array(
    select lower(t) from unnest(array[c.ghl_contact_id, c.email, c.phone]) t
    where t is not null and length(btrim(t)) >= 5);

  select coalesce(array_agg(distinct s.temporal_workflow_id) filter (where s.temporal_workflow_id is not null), '{}'),
         count(distinct s.id), coalesce(sum((select count(*) from public.conversation_messages m
                                              where m.organization_id = s.organization_id and m.session_id = s.id)), 0)
    into workflow_ids, n_conversations, n_messages
  from public.conversation_sessions s where s.organization_id = p_org and s.contact_id = p_contact;

  with hit as (
    select e.id, e.temporal_workflow_id from public.executions e
    where e.organization_id = p_org
      and (app.mentions_any(e.input, terms) or app.mentions_any(e.output, terms) or app.mentions_any(e.error, terms)
        or exists (select 1 from public.execution_steps s where s.organization_id = p_org and s.execution_id = e.id
                   and (app.mentions_any(s.input, terms) or app.mentions_any(s.output, terms) or app.mentions_any(s.error, terms)))
        or exists (select 1 from public.execution_payloads p where p.organization_id = p_org and p.execution_id = e.id
                   and app.mentions_any(p.data, terms)))
  ), gone as (
    delete from public.executions e using hit where e.organization_id = p_org and e.id = hit.id
    returning e.temporal_workflow_id
  )
  select count(*), coalesce(workflow_ids || array_agg(g.temporal_workflow_id) filter (where g.temporal_workflow_id is not null), workflow_ids)
    into n_executions, workflow_ids from gone g;

  delete from public.ghl_webhook_events w where w.organization_id = p_org and app.mentions_any(w.body, terms);
  get diagnostics n_events = row_count;

  -- The audit log is append-only; this is one of the two ways (with retention) past the rule.
  perform set_config('app.audit_maintenance', 'on', true);
  update public.audit_log a set diff = jsonb_build_object('redacted', 'contact forgotten')
  where a.organization_id = p_org and app.mentions_any(a.diff, terms);
  get diagnostics n_audit = row_count;
  perform set_config('app.audit_maintenance', 'off', true);

  select count(*) into n_sales from public.sales_transactions where organization_id = p_org and contact_id = p_contact;
  select count(*) into n_receipts from public.opportunity_receipts where organization_id = p_org and contact_id = p_contact;

  delete from public.contacts where organization_id = p_org and id = p_contact;
  insert into public.forgotten_contacts (organization_id, ghl_contact_hash, forgotten_by)
  values (p_org, app.ghl_contact_hash(c.ghl_contact_id), auth.uid())
  on conflict do nothing;

  -- The trail says that a contact was forgotten, by whom and how much went, never who it was.
  insert into public.audit_log (organization_id, actor_user_id, actor_role, table_name, row_id, operation, changed_columns, diff)
  values (p_org, auth.uid(), auth.role(), 'contacts', p_contact, 'DELETE', '{forgotten}',
    jsonb_build_object('forgotten', jsonb_build_object(
      'conversations', n_conversations, 'messages', n_messages, 'executions', n_executions,
      'webhookEvents', n_events, 'auditEntriesRedacted', n_audit,
      'salesUnlinked', n_sales, 'receiptsUnlinked', n_receipts)));

  return jsonb_build_object(
    'conversations', n_conversations, 'messages', n_messages, 'executions', n_executions,
    'webhookEvents', n_events, 'auditEntriesRedacted', n_audit,
    'salesUnlinked', n_sales, 'receiptsUnlinked', n_receipts,
    'temporalWorkflowIds', to_jsonb(array(select distinct unnest(workflow_ids))));
end $$;

revoke execute on function app.forget_contact(uuid, uuid) from public;
grant execute on function app.forget_contact(uuid, uuid) to authenticated;

/** A forgotten contact is not brought back by a sync, a webhook or a bot message: the insert is skipped. */
create or replace function app.skip_forgotten_contact() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if exists (select 1 from public.forgotten_contacts f
             where f.organization_id = new.organization_id and f.ghl_contact_hash = app.ghl_contact_hash(new.ghl_contact_id)) then
    return null;
  end if;
  return new;
end $$;

create trigger contacts_skip_forgotten before insert on public.contacts
  for each row execute function app.skip_forgotten_contact();

create trigger forgotten_contacts_fixed_org before update on public.forgotten_contacts
  for each row execute function app.forbid_organization_change();
