-- =====================================================================================
-- The commission flow on top of the ledger: per-organization settings (attribution, automatic
-- approval, reminder and escalation delays, payout frequency and timezone), which plan applies
-- to whom, sale details the rules need (product, pipeline, splits), refunds (each one clawed
-- back once), and the reminders and escalations sent for undecided commissions.
-- A calculation can now be `superseded` by a correction (a sale's amount changed after it was
-- calculated): the correction is a new pending row naming it, which a manager decides again.
-- =====================================================================================

-- -------------------------------------------------------------------------------------
-- Tables
-- -------------------------------------------------------------------------------------
create table public.commission_settings (
  organization_id uuid primary key references public.organizations (id) on delete cascade,
  -- IANA name; payout periods are calendar days here. The API checks the name against Intl.
  timezone text not null default 'UTC' check (length(timezone) between 1 and 64),
  -- The key of a GHL workflow webhook's customData naming the rep: a team member id, their GHL
  -- user id (external_id) or their email.
  attribution_field text not null default 'sales_rep_id' check (length(btrim(attribution_field)) between 1 and 100),
  -- Commissions up to this amount (inclusive) in this currency are approved without a person.
  auto_approve_max_minor bigint check (auto_approve_max_minor >= 0),
  auto_approve_currency char(3) check (auto_approve_currency ~ '^[A-Z]{3}$'),
  -- Durable timers of the commission workflow: remind the approvers, then escalate to owners.
  reminder_after_seconds int not null default 172800 check (reminder_after_seconds between 1 and 31536000),
  escalate_after_seconds int not null default 432000 check (escalate_after_seconds between 1 and 31536000),
  payout_frequency text not null default 'monthly' check (payout_frequency in ('weekly', 'biweekly', 'monthly')),
  -- Weekly and bi-weekly periods start on this day's weekday, every one or two weeks from it.
  payout_anchor date not null default date '2026-01-05',
  -- The plan of team members no plan names (before their own default rate).
  default_plan_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id),
  check ((auto_approve_max_minor is null) = (auto_approve_currency is null)),
  check (escalate_after_seconds >= reminder_after_seconds),
  foreign key (organization_id, default_plan_id) references public.commission_plans (organization_id, id) on delete set null (default_plan_id)
);

-- A team member is on at most one plan.
create table public.commission_plan_members (
  organization_id uuid not null references public.organizations (id) on delete cascade,
  team_member_id uuid not null,
  plan_id uuid not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (organization_id, team_member_id),
  foreign key (organization_id, team_member_id) references public.team_members (organization_id, id) on delete cascade,
  foreign key (organization_id, plan_id) references public.commission_plans (organization_id, id) on delete cascade
);
create index commission_plan_members_plan_idx on public.commission_plan_members (organization_id, plan_id);

alter table public.sales_transactions
  add column product_id text check (length(product_id) <= 100),
  add column pipeline_id text check (length(pipeline_id) <= 100),
  -- [{teamMemberId, creditBps, payoutBps}]; null: all to team_member_id.
  add column splits jsonb check (splits is null or jsonb_typeof(splits) = 'array'),
  -- The Temporal workflow that calculates this sale's commission.
  add column workflow_id text check (length(workflow_id) <= 300),
  -- The amount first recorded, when a later delivery or edit changed it (a discrepancy).
  add column original_amount_minor bigint check (original_amount_minor >= 0);

create table public.sales_refunds (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  transaction_id uuid not null,
  -- The refund's id at its source (or a key the caller chose): a retry finds the first row.
  external_id text not null check (length(external_id) between 1 and 200),
  amount_minor bigint not null check (amount_minor > 0),
  reason text check (length(reason) <= 1000),
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id),
  unique (organization_id, transaction_id, external_id),
  foreign key (organization_id, transaction_id) references public.sales_transactions (organization_id, id)
);

-- Several partial refunds may claw back one calculation: once per refund.
drop index public.commission_calculations_clawback_idx;
alter table public.commission_calculations
  add column refund_id uuid,
  add foreign key (organization_id, refund_id) references public.sales_refunds (organization_id, id),
  add constraint commission_calculations_clawback_refund check (refund_id is null or kind = 'clawback');
create unique index commission_calculations_clawback_idx on public.commission_calculations (organization_id, clawback_of, refund_id)
  nulls not distinct where clawback_of is not null;
alter table public.commission_calculations drop constraint commission_calculations_status_check;
alter table public.commission_calculations add constraint commission_calculations_status_check
  check (status in ('pending', 'approved', 'rejected', 'payable', 'paid', 'clawed_back', 'held', 'superseded'));

create table public.commission_notifications (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  calculation_id uuid not null,
  kind text not null check (kind in ('reminder', 'escalation')),
  -- The logins told (approvers for a reminder, owners for an escalation).
  recipients uuid[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id),
  unique (organization_id, calculation_id, kind),
  foreign key (organization_id, calculation_id) references public.commission_calculations (organization_id, id)
);

-- -------------------------------------------------------------------------------------
-- Ledger rule: the transitions now include `superseded` (a correction replaced the row)
-- -------------------------------------------------------------------------------------
create or replace function app.commission_calculation_rules() returns trigger
language plpgsql set search_path = ''
as $$
declare
  decision text[] := array['status', 'held_reason', 'approver_user_id', 'decided_at', 'comment', 'updated_at'];
begin
  if tg_op = 'TRUNCATE' then
    raise exception 'commission calculations are never deleted' using errcode = 'FL409';
  end if;
  if tg_op = 'DELETE' then
    if app.is_organization_cascade(old.organization_id) then
      return old;
    end if;
    raise exception 'commission calculations are never deleted: record a correction or a clawback' using errcode = 'FL409';
  end if;
  if tg_op = 'INSERT' then
    if new.status not in ('pending', 'held') or new.approver_user_id is not null or new.decided_at is not null then
      raise exception 'a calculation starts pending or held, undecided' using errcode = 'FL409';
    end if;
    return new;
  end if;
  if (to_jsonb(new) - decision) is distinct from (to_jsonb(old) - decision) then
    raise exception 'a commission calculation cannot be edited: record a correction that supersedes it' using errcode = 'FL409';
  end if;
  if new.status = old.status then
    if (to_jsonb(new) - 'updated_at') is distinct from (to_jsonb(old) - 'updated_at') then
      raise exception 'a decision is recorded with a change of status' using errcode = 'FL409';
    end if;
    return new;
  end if;
  if not (case old.status
            when 'pending' then new.status in ('approved', 'rejected', 'held', 'superseded')
            when 'held' then new.status in ('pending', 'approved', 'rejected', 'superseded')
            when 'approved' then new.status in ('payable', 'clawed_back', 'superseded')
            when 'payable' then new.status in ('paid', 'held', 'clawed_back', 'superseded')
            when 'paid' then new.status in ('clawed_back')
            else false
          end) then
    raise exception 'a commission cannot go from % to %', old.status, new.status using errcode = 'FL409';
  end if;
  if new.status in ('approved', 'rejected') then
    if current_user = 'authenticated' then
      new.approver_user_id := auth.uid();
    end if;
    new.decided_at := now();
    if new.approver_user_id is not null and app.is_commission_beneficiary(new.team_member_id, new.approver_user_id) then
      raise exception 'nobody approves or rejects their own commission' using errcode = 'FL403';
    end if;
  end if;
  return new;
end $$;

/** Refunds are facts: recorded once, never edited or removed (but with their organization). */
create or replace function app.sales_refund_rules() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if tg_op = 'DELETE' and app.is_organization_cascade(old.organization_id) then
    return old;
  end if;
  raise exception 'a recorded refund cannot change: record another one' using errcode = 'FL409';
end $$;

-- -------------------------------------------------------------------------------------
-- Grants and RLS
-- -------------------------------------------------------------------------------------
grant select, insert, update on public.commission_settings to authenticated;
grant select, insert, update, delete on public.commission_plan_members to authenticated;
grant select, insert on public.sales_refunds to authenticated;
grant select on public.commission_notifications to authenticated;
grant select on public.commission_settings, public.commission_plan_members to worker;
grant select, insert on public.sales_refunds, public.commission_notifications to worker;

alter table public.commission_settings enable row level security;
alter table public.commission_settings force row level security;
alter table public.commission_plan_members enable row level security;
alter table public.commission_plan_members force row level security;
alter table public.sales_refunds enable row level security;
alter table public.sales_refunds force row level security;
alter table public.commission_notifications enable row level security;
alter table public.commission_notifications force row level security;

create policy "Commission settings are visible to members allowed to read commissions"
  on public.commission_settings for select to authenticated
  using (organization_id = any ((select app.orgs_with('commissions', 'read'))));
create policy "Commission settings are written by members allowed to update commissions"
  on public.commission_settings for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('commissions', 'update'))));
create policy "Commission settings are changed by members allowed to update commissions"
  on public.commission_settings for update to authenticated
  using (organization_id = any ((select app.orgs_with('commissions', 'update'))))
  with check (organization_id = any ((select app.orgs_with('commissions', 'update'))));

create policy "Plan membership is visible to members allowed to read commissions"
  on public.commission_plan_members for select to authenticated
  using (organization_id = any ((select app.orgs_with('commissions', 'read'))));
create policy "Plan membership is added by members allowed to update commissions"
  on public.commission_plan_members for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('commissions', 'update'))));
create policy "Plan membership is changed by members allowed to update commissions"
  on public.commission_plan_members for update to authenticated
  using (organization_id = any ((select app.orgs_with('commissions', 'update'))))
  with check (organization_id = any ((select app.orgs_with('commissions', 'update'))));
create policy "Plan membership is removed by members allowed to update commissions"
  on public.commission_plan_members for delete to authenticated
  using (organization_id = any ((select app.orgs_with('commissions', 'update'))));

create policy "Refunds are visible with their sale"
  on public.sales_refunds for select to authenticated
  using (organization_id = any ((select app.orgs_reading_all('sales')))
         or (organization_id = any ((select app.orgs_with('sales', 'read')))
             and transaction_id in (select s.id from public.sales_transactions s
                                    where s.team_member_id = any ((select app.my_team_member_ids())))));
create policy "Refunds are recorded by members allowed to update sales"
  on public.sales_refunds for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('sales', 'update'))));

create policy "Commission reminders are visible to readers of the organization's commissions"
  on public.commission_notifications for select to authenticated
  using (organization_id = any ((select app.orgs_reading_all('commissions'))));

create policy "Commission settings rows stay inside the caller's organizations"
  on public.commission_settings as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Plan membership rows stay inside the caller's organizations"
  on public.commission_plan_members as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Refund rows stay inside the caller's organizations"
  on public.sales_refunds as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Commission reminder rows stay inside the caller's organizations"
  on public.commission_notifications as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));

create policy "Workers read the commission settings of the organization they act for"
  on public.commission_settings for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers read the plan membership of the organization they act for"
  on public.commission_plan_members for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers read the refunds of the organization they act for"
  on public.sales_refunds for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers record refunds for the organization they act for"
  on public.sales_refunds for insert to worker
  with check (organization_id = (select app.worker_org()));
create policy "Workers read the commission reminders of the organization they act for"
  on public.commission_notifications for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers record commission reminders for the organization they act for"
  on public.commission_notifications for insert to worker
  with check (organization_id = (select app.worker_org()));

create policy "Worker commission settings rows stay inside the organization it acts for"
  on public.commission_settings as restrictive for all to worker
  using (organization_id = (select app.worker_org()));
create policy "Worker plan membership rows stay inside the organization it acts for"
  on public.commission_plan_members as restrictive for all to worker
  using (organization_id = (select app.worker_org()));
create policy "Worker refund rows stay inside the organization it acts for"
  on public.sales_refunds as restrictive for all to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));
create policy "Worker commission reminder rows stay inside the organization it acts for"
  on public.commission_notifications as restrictive for all to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));

-- -------------------------------------------------------------------------------------
-- Triggers
-- -------------------------------------------------------------------------------------
create trigger commission_settings_fixed_org before update on public.commission_settings
  for each row execute function app.forbid_organization_change();
create trigger commission_plan_members_fixed_org before update on public.commission_plan_members
  for each row execute function app.forbid_organization_change();
create trigger commission_settings_touch before update on public.commission_settings
  for each row execute function app.touch_updated_at();
create trigger commission_plan_members_touch before update on public.commission_plan_members
  for each row execute function app.touch_updated_at();
create trigger sales_refunds_author before insert on public.sales_refunds
  for each row execute function app.stamp_author('created_by');
create trigger sales_refunds_rules before update or delete on public.sales_refunds
  for each row execute function app.sales_refund_rules();
create trigger commission_settings_audit after insert or update or delete on public.commission_settings
  for each row execute function app.audit();
create trigger commission_plan_members_audit after insert or update or delete on public.commission_plan_members
  for each row execute function app.audit();
create trigger sales_refunds_audit after insert or update or delete on public.sales_refunds
  for each row execute function app.audit();
create trigger sales_refunds_fixed_org before update on public.sales_refunds
  for each row execute function app.forbid_organization_change();
create trigger commission_notifications_fixed_org before update on public.commission_notifications
  for each row execute function app.forbid_organization_change();

/**
 * Paying a payout pays its lines' commissions and clawbacks (payable -> paid) in the same
 * statement, whoever marks it: the ledger never shows a paid payout with payable lines.
 */
create or replace function app.commission_payout_paid() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  update public.commission_calculations c set status = 'paid'
  where c.organization_id = new.organization_id and c.status = 'payable'
    and c.id in (select i.calculation_id from public.commission_payout_items i
                 where i.organization_id = new.organization_id and i.payout_id = new.id and i.calculation_id is not null);
  return new;
end $$;
create trigger commission_payouts_paid after update of status on public.commission_payouts
  for each row when (old.status = 'locked' and new.status = 'paid') execute function app.commission_payout_paid();

-- -------------------------------------------------------------------------------------
-- A rep paid through a split sees the sale (and its refunds) even when it is credited to a
-- colleague: their commission names it. (Their calculations are theirs by RLS already.)
-- -------------------------------------------------------------------------------------
/** Sales in which one of the caller's team members has a commission row (read past RLS, own rows only). */
create or replace function app.my_commissioned_sales(p_org uuid) returns setof uuid
language sql stable security definer set search_path = ''
as $$
  select distinct c.transaction_id from public.commission_calculations c
  where c.organization_id = p_org and c.transaction_id is not null
    and c.team_member_id in (select app.my_team_member_ids())
$$;
grant execute on function app.my_commissioned_sales(uuid) to authenticated;

drop policy "Sales are visible to readers of the organization's sales, or to their own rep" on public.sales_transactions;
create policy "Sales are visible to readers of the organization's sales, or to the reps they pay"
  on public.sales_transactions for select to authenticated
  using (organization_id = any ((select app.orgs_reading_all('sales')))
         or (organization_id = any ((select app.orgs_with('sales', 'read')))
             and (team_member_id = any ((select app.my_team_member_ids()))
                  or id in (select app.my_commissioned_sales(organization_id)))));

drop policy "Refunds are visible with their sale" on public.sales_refunds;
create policy "Refunds are visible with their sale"
  on public.sales_refunds for select to authenticated
  using (organization_id = any ((select app.orgs_reading_all('sales')))
         or (organization_id = any ((select app.orgs_with('sales', 'read')))
             and transaction_id in (select s.id from public.sales_transactions s)));
