-- =====================================================================================
-- Sales commissions: plans (effective-dated versions of rules), the sales transactions they
-- apply to, the calculations they produce, and the payouts that pay them.
-- Money is in minor units (bigint) with an ISO 4217 currency: never a float.
-- Calculations and payout items are a ledger: their money never changes and they are never
-- deleted; a correction is a new row (`supersedes`), a refund a new negative clawback row.
-- RBAC resources: `sales` (transactions), `commissions` (plans, calculations), `payouts`.
-- Members with role `sales` see only the rows of the team member linked to their login
-- (team_members.user_id), unless they may approve that resource; everyone else who may read
-- a resource sees the whole organization's rows.
-- Product errors: FL409 (ledger rule or state conflict), FL403 (deciding one's own
-- commission), FL404 (the payout or calculation a line names is not there).
-- Order: tables -> helpers and rules -> grants -> RLS -> policies -> triggers.
-- =====================================================================================

-- -------------------------------------------------------------------------------------
-- Tables
-- -------------------------------------------------------------------------------------
create table public.commission_plans (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 200),
  description text not null default '' check (length(description) <= 2000),
  is_active boolean not null default true,
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id)
);
create index commission_plans_org_name_idx on public.commission_plans (organization_id, name, id);

-- A change of rules is a new version with a later effective_from; a version that a
-- calculation used never changes again (its trace must keep pointing at what was applied).
create table public.commission_plan_versions (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  plan_id uuid not null,
  effective_from timestamptz not null,
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  -- Validated by the rules engine in the app; the database only insists on an object.
  rules jsonb not null check (jsonb_typeof(rules) = 'object'),
  note text check (length(note) <= 1000),
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id),
  unique (plan_id, effective_from),
  foreign key (organization_id, plan_id) references public.commission_plans (organization_id, id) on delete cascade
);
create index commission_plan_versions_plan_idx on public.commission_plan_versions (organization_id, plan_id, effective_from desc);

create table public.sales_transactions (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  source text not null check (source in ('ghl_invoice', 'ghl_order', 'ghl_workflow', 'manual', 'api')),
  -- The payment's id at its source: a second delivery of one payment finds the first row.
  external_id text not null check (length(external_id) between 1 and 200),
  contact_id uuid,
  ghl_opportunity_id text check (length(ghl_opportunity_id) <= 100),
  -- Null: nobody is credited yet ("unattributed"), a manager assigns someone.
  team_member_id uuid,
  amount_minor bigint not null check (amount_minor >= 0),
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  paid_at timestamptz not null,
  -- The GHL delivery this payment came from (ghl_webhook_events is purged on retention).
  raw_webhook_id text,
  status text not null default 'paid' check (status in ('paid', 'partially_refunded', 'refunded')),
  refunded_minor bigint not null default 0 check (refunded_minor >= 0 and refunded_minor <= amount_minor),
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, source, external_id),
  unique (organization_id, id),
  check ((status = 'paid' and refunded_minor = 0)
      or (status = 'partially_refunded' and refunded_minor > 0 and refunded_minor < amount_minor)
      or (status = 'refunded' and refunded_minor = amount_minor)),
  foreign key (organization_id, contact_id) references public.contacts (organization_id, id) on delete set null (contact_id),
  foreign key (organization_id, team_member_id) references public.team_members (organization_id, id) on delete set null (team_member_id),
  foreign key (organization_id, raw_webhook_id) references public.ghl_webhook_events (organization_id, webhook_id) on delete set null (raw_webhook_id)
);
create index sales_transactions_org_paid_idx on public.sales_transactions (organization_id, paid_at desc, id);
create index sales_transactions_member_idx on public.sales_transactions (organization_id, team_member_id, paid_at desc);
create index sales_transactions_unattributed_idx on public.sales_transactions (organization_id, paid_at desc)
  where team_member_id is null;

create table public.commission_calculations (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  -- Null only for a manual adjustment that no sale caused.
  transaction_id uuid,
  team_member_id uuid not null,
  -- Null when the team member's default rate (team_members.commission_rate_bps) applied.
  plan_version_id uuid,
  kind text not null default 'commission' check (kind in ('commission', 'clawback', 'adjustment')),
  amount_minor bigint not null,
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  -- Which rule, base, rate, tier: shown to people as the reason for the amount.
  trace jsonb not null default '{}'::jsonb check (jsonb_typeof(trace) in ('object', 'array')),
  status text not null default 'pending'
    check (status in ('pending', 'approved', 'rejected', 'payable', 'paid', 'clawed_back', 'held')),
  held_reason text check (length(held_reason) <= 1000),
  approver_user_id uuid,
  decided_at timestamptz,
  comment text check (length(comment) <= 2000),
  -- A correction is a new row naming the one it replaces.
  supersedes uuid,
  -- A clawback names the calculation whose money it takes back.
  clawback_of uuid,
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id),
  -- Target of payout items' foreign key: a line pays its payout's team member, in its currency.
  unique (organization_id, team_member_id, currency, id),
  check ((kind = 'clawback' and amount_minor <= 0) or (kind <> 'clawback' and amount_minor >= 0)),
  check ((kind = 'clawback') = (clawback_of is not null)),
  check (transaction_id is not null or kind = 'adjustment'),
  check (status <> 'held' or length(btrim(coalesce(held_reason, ''))) > 0),
  check (supersedes is distinct from id and clawback_of is distinct from id),
  foreign key (organization_id, transaction_id) references public.sales_transactions (organization_id, id),
  foreign key (organization_id, team_member_id) references public.team_members (organization_id, id),
  foreign key (organization_id, plan_version_id) references public.commission_plan_versions (organization_id, id),
  foreign key (organization_id, supersedes) references public.commission_calculations (organization_id, id),
  foreign key (organization_id, clawback_of) references public.commission_calculations (organization_id, id)
);
create index commission_calculations_org_status_idx on public.commission_calculations (organization_id, status, created_at desc, id);
create index commission_calculations_member_idx on public.commission_calculations (organization_id, team_member_id, created_at desc, id);
create index commission_calculations_transaction_idx on public.commission_calculations (organization_id, transaction_id);
create index commission_calculations_plan_version_idx on public.commission_calculations (organization_id, plan_version_id)
  where plan_version_id is not null;
-- Money exactly once: one original commission per sale and team member (a duplicate delivery
-- finds it), each row corrected at most once, each calculation clawed back at most once.
create unique index commission_calculations_once_idx on public.commission_calculations (organization_id, transaction_id, team_member_id)
  where kind = 'commission' and supersedes is null;
create unique index commission_calculations_supersedes_idx on public.commission_calculations (organization_id, supersedes)
  where supersedes is not null;
create unique index commission_calculations_clawback_idx on public.commission_calculations (organization_id, clawback_of)
  where clawback_of is not null;

create table public.commission_payouts (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  team_member_id uuid not null,
  -- Calendar days in the organization's timezone, both inclusive.
  period_start date not null,
  period_end date not null,
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  -- May be negative: clawbacks recovered beyond what the period earned.
  total_minor bigint not null default 0,
  status text not null default 'draft' check (status in ('draft', 'locked', 'paid')),
  locked_at timestamptz,
  locked_by uuid,
  paid_at timestamptz,
  paid_by uuid,
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id),
  unique (organization_id, team_member_id, currency, id),
  -- One batch run per period cannot make two payouts for one person.
  unique (organization_id, team_member_id, currency, period_start, period_end),
  check (period_end >= period_start),
  check ((status = 'draft' and locked_at is null and paid_at is null)
      or (status = 'locked' and locked_at is not null and paid_at is null)
      or (status = 'paid' and locked_at is not null and paid_at is not null)),
  foreign key (organization_id, team_member_id) references public.team_members (organization_id, id)
);
create index commission_payouts_org_period_idx on public.commission_payouts (organization_id, period_end desc, id);
create index commission_payouts_member_idx on public.commission_payouts (organization_id, team_member_id, period_end desc);

create table public.commission_payout_items (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  payout_id uuid not null,
  -- Copied from the payout and bound to it (and to the calculation) by the foreign keys.
  team_member_id uuid not null,
  currency char(3) not null,
  -- Null for an adjustment line written on the payout itself (then a description says why).
  calculation_id uuid,
  description text check (length(description) <= 1000),
  amount_minor bigint not null,
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id),
  check (calculation_id is not null or length(btrim(coalesce(description, ''))) > 0),
  foreign key (organization_id, team_member_id, currency, payout_id)
    references public.commission_payouts (organization_id, team_member_id, currency, id) on delete cascade,
  foreign key (organization_id, team_member_id, currency, calculation_id)
    references public.commission_calculations (organization_id, team_member_id, currency, id)
);
create index commission_payout_items_payout_idx on public.commission_payout_items (organization_id, payout_id, created_at, id);
create index commission_payout_items_member_idx on public.commission_payout_items (organization_id, team_member_id);
-- A calculation is paid in one payout only.
create unique index commission_payout_items_once_idx on public.commission_payout_items (organization_id, calculation_id)
  where calculation_id is not null;

-- -------------------------------------------------------------------------------------
-- Helpers (SECURITY DEFINER, empty search_path, as in the tenancy migration)
-- -------------------------------------------------------------------------------------

/** Team members linked to the caller's login, in organizations where the caller is an active member. */
create or replace function app.my_team_member_ids() returns setof uuid
language plpgsql stable security definer set search_path = ''
as $$
begin
  return query
    select t.id
    from public.team_members t
    join public.organization_members m on m.organization_id = t.organization_id and m.user_id = t.user_id
    where t.user_id = auth.uid() and m.status = 'active';
end $$;

/**
 * Organizations where the caller reads every row of a sales resource: they may read it and
 * are not a sales rep, or they may approve it (a rep promoted to approve must see what they
 * approve). Sales reps otherwise read only their own rows (app.my_team_member_ids()).
 */
create or replace function app.orgs_reading_all(p_resource text) returns setof uuid
language plpgsql stable security definer set search_path = ''
as $$
begin
  return query
    select r.org_id from app.orgs_with(p_resource, 'read') as r (org_id)
    where r.org_id in (select m.organization_id from public.organization_members m
                       where m.user_id = auth.uid() and m.status = 'active' and m.role <> 'sales')
       or r.org_id in (select app.orgs_with(p_resource, 'approve'));
end $$;

/** Whether this user is the one credited through this team member (only the caller's organizations). */
create or replace function app.is_commission_beneficiary(p_team_member uuid, p_user uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.team_members t
    where t.id = p_team_member and t.user_id = p_user
      and (t.organization_id in (select app.member_orgs()) or t.organization_id = app.worker_org()))
$$;

/** Whether a calculation used this plan version (read past RLS: a narrowed reader must not miss one). */
create or replace function app.commission_plan_version_used(p_org uuid, p_version uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.commission_calculations c
    where c.organization_id = p_org and c.plan_version_id = p_version
      and (p_org in (select app.member_orgs()) or p_org = app.worker_org()))
$$;

grant execute on function app.my_team_member_ids(), app.orgs_reading_all(text) to authenticated;
grant execute on function app.is_commission_beneficiary(uuid, uuid), app.commission_plan_version_used(uuid, uuid)
  to authenticated, worker;

-- -------------------------------------------------------------------------------------
-- Ledger rules (triggers run as the caller, for every writer, the table owner included)
-- -------------------------------------------------------------------------------------

/**
 * The owner deleting rows whose organization is gone: the cascade of an organization's
 * deletion (cascades run as the table owner, once the parent row is gone).
 */
create or replace function app.is_organization_cascade(p_org uuid) returns boolean
language sql stable set search_path = ''
as $$
  select current_user not in ('authenticated', 'worker', 'anon')
     and not exists (select 1 from public.organizations o where o.id = p_org)
$$;
grant execute on function app.is_organization_cascade(uuid) to authenticated, worker;

create or replace function app.commission_plan_version_rules() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if tg_op = 'DELETE' and app.is_organization_cascade(old.organization_id) then
    return old;
  end if;
  if app.commission_plan_version_used(old.organization_id, old.id) then
    raise exception 'this plan version was used by calculations: add a new version instead' using errcode = 'FL409';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $$;

/**
 * Calculations: the money, the sale, the person and the rule never change; only the status
 * moves, along the allowed transitions, with its decision fields. Approving or rejecting
 * stamps who decided (the signed-in user; a worker names the approver, or none for an
 * automatic approval) and when, and is refused to the team member's own login.
 */
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
            when 'pending' then new.status in ('approved', 'rejected', 'held')
            when 'held' then new.status in ('pending', 'approved', 'rejected')
            when 'approved' then new.status in ('payable', 'clawed_back')
            when 'payable' then new.status in ('paid', 'held', 'clawed_back')
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

/**
 * Payouts: a draft is work in progress; locking snapshots it (its total must be the sum of
 * its lines) and after that the only change is marking it paid, once. Only drafts are deleted.
 */
create or replace function app.commission_payout_rules() returns trigger
language plpgsql set search_path = ''
as $$
declare
  lines_total bigint;
  payment text[] := array['status', 'paid_at', 'paid_by', 'updated_at'];
begin
  if tg_op = 'DELETE' then
    if old.status = 'draft' or app.is_organization_cascade(old.organization_id) then
      return old;
    end if;
    raise exception 'a % payout cannot be deleted', old.status using errcode = 'FL409';
  end if;
  if tg_op = 'INSERT' then
    if new.status <> 'draft' then
      raise exception 'a payout starts as a draft' using errcode = 'FL409';
    end if;
    return new;
  end if;
  if old.status = 'paid' then
    raise exception 'a paid payout is final' using errcode = 'FL409';
  end if;
  if old.status = 'locked' and (new.status <> 'paid' or (to_jsonb(new) - payment) is distinct from (to_jsonb(old) - payment)) then
    raise exception 'a locked payout cannot change: it can only be marked paid' using errcode = 'FL409';
  end if;
  if old.status = 'draft' and new.status = 'paid' then
    raise exception 'lock a payout before marking it paid' using errcode = 'FL409';
  end if;
  if old.status = 'draft' and new.status = 'locked' then
    select coalesce(sum(i.amount_minor), 0) into lines_total
    from public.commission_payout_items i
    where i.organization_id = new.organization_id and i.payout_id = new.id;
    if lines_total <> new.total_minor then
      raise exception 'the payout total (%) is not the sum of its lines (%)', new.total_minor, lines_total using errcode = 'FL409';
    end if;
    new.locked_at := now();
    if current_user = 'authenticated' then
      new.locked_by := auth.uid();
    end if;
  end if;
  if old.status = 'locked' and new.status = 'paid' then
    new.paid_at := coalesce(new.paid_at, now());
    if current_user = 'authenticated' then
      new.paid_by := auth.uid();
    end if;
  end if;
  return new;
end $$;

/**
 * Payout lines: added to a draft only (the payout row is share-locked, so a concurrent lock
 * waits for this line or this line sees the lock), a calculation's line pays exactly its
 * amount once it is payable, and lines never change nor go away (but with their draft).
 */
create or replace function app.commission_payout_item_rules() returns trigger
language plpgsql set search_path = ''
as $$
declare
  payout_status text;
  calc record;
begin
  if tg_op in ('UPDATE', 'TRUNCATE') then
    raise exception 'payout lines cannot change' using errcode = 'FL409';
  end if;
  if tg_op = 'DELETE' then
    -- The cascade of deleting its draft payout, or its organization.
    if app.is_organization_cascade(old.organization_id)
       or (current_user not in ('authenticated', 'worker', 'anon')
           and not exists (select 1 from public.commission_payouts p where p.id = old.payout_id)) then
      return old;
    end if;
    raise exception 'payout lines are never deleted' using errcode = 'FL409';
  end if;
  select p.status into payout_status
  from public.commission_payouts p
  where p.organization_id = new.organization_id and p.id = new.payout_id
  for share;
  if not found then
    raise exception 'payout not found' using errcode = 'FL404';
  end if;
  if payout_status <> 'draft' then
    raise exception 'a % payout cannot change', payout_status using errcode = 'FL409';
  end if;
  if new.calculation_id is not null then
    select c.amount_minor, c.status into calc
    from public.commission_calculations c
    where c.organization_id = new.organization_id and c.id = new.calculation_id;
    if not found then
      raise exception 'calculation not found' using errcode = 'FL404';
    end if;
    if calc.status <> 'payable' then
      raise exception 'only payable commissions are paid out (this one is %)', calc.status using errcode = 'FL409';
    end if;
    if calc.amount_minor <> new.amount_minor then
      raise exception 'a line pays its calculation''s amount (%)', calc.amount_minor using errcode = 'FL409';
    end if;
  end if;
  return new;
end $$;

-- -------------------------------------------------------------------------------------
-- Grants (RLS decides which rows; the triggers decide which changes)
-- -------------------------------------------------------------------------------------
grant select, insert, update, delete on public.commission_plans, public.commission_plan_versions,
  public.sales_transactions, public.commission_payouts to authenticated;
grant select, insert, update on public.commission_calculations to authenticated;
grant select, insert on public.commission_payout_items to authenticated;
grant select on public.commission_plans, public.commission_plan_versions to worker;
grant select, insert, update on public.sales_transactions, public.commission_calculations, public.commission_payouts to worker;
grant select, insert on public.commission_payout_items to worker;

alter table public.commission_plans enable row level security;
alter table public.commission_plans force row level security;
alter table public.commission_plan_versions enable row level security;
alter table public.commission_plan_versions force row level security;
alter table public.sales_transactions enable row level security;
alter table public.sales_transactions force row level security;
alter table public.commission_calculations enable row level security;
alter table public.commission_calculations force row level security;
alter table public.commission_payouts enable row level security;
alter table public.commission_payouts force row level security;
alter table public.commission_payout_items enable row level security;
alter table public.commission_payout_items force row level security;

-- -------------------------------------------------------------------------------------
-- Policies: users
-- -------------------------------------------------------------------------------------
create policy "Commission plans are visible to members allowed to read commissions"
  on public.commission_plans for select to authenticated
  using (organization_id = any ((select app.orgs_with('commissions', 'read'))));
create policy "Commission plans are created by members allowed to"
  on public.commission_plans for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('commissions', 'create'))));
create policy "Commission plans are updated by members allowed to"
  on public.commission_plans for update to authenticated
  using (organization_id = any ((select app.orgs_with('commissions', 'update'))))
  with check (organization_id = any ((select app.orgs_with('commissions', 'update'))));
create policy "Commission plans are deleted by members allowed to"
  on public.commission_plans for delete to authenticated
  using (organization_id = any ((select app.orgs_with('commissions', 'delete'))));

create policy "Plan versions are visible to members allowed to read commissions"
  on public.commission_plan_versions for select to authenticated
  using (organization_id = any ((select app.orgs_with('commissions', 'read'))));
create policy "Plan versions are added by members allowed to create commissions"
  on public.commission_plan_versions for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('commissions', 'create'))));
create policy "Unused plan versions are updated by members allowed to"
  on public.commission_plan_versions for update to authenticated
  using (organization_id = any ((select app.orgs_with('commissions', 'update'))))
  with check (organization_id = any ((select app.orgs_with('commissions', 'update'))));
create policy "Unused plan versions are deleted by members allowed to"
  on public.commission_plan_versions for delete to authenticated
  using (organization_id = any ((select app.orgs_with('commissions', 'delete'))));

create policy "Sales are visible to readers of the organization's sales, or to their own rep"
  on public.sales_transactions for select to authenticated
  using (organization_id = any ((select app.orgs_reading_all('sales')))
         or (organization_id = any ((select app.orgs_with('sales', 'read')))
             and team_member_id = any ((select app.my_team_member_ids()))));
create policy "Sales are recorded by members allowed to"
  on public.sales_transactions for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('sales', 'create'))));
create policy "Sales are updated by members allowed to"
  on public.sales_transactions for update to authenticated
  using (organization_id = any ((select app.orgs_with('sales', 'update'))))
  with check (organization_id = any ((select app.orgs_with('sales', 'update'))));
create policy "Sales are deleted by members allowed to"
  on public.sales_transactions for delete to authenticated
  using (organization_id = any ((select app.orgs_with('sales', 'delete'))));

create policy "Commissions are visible to readers of the organization's commissions, or to their own rep"
  on public.commission_calculations for select to authenticated
  using (organization_id = any ((select app.orgs_reading_all('commissions')))
         or (organization_id = any ((select app.orgs_with('commissions', 'read')))
             and team_member_id = any ((select app.my_team_member_ids()))));
create policy "Commission adjustments are recorded by members allowed to create commissions"
  on public.commission_calculations for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('commissions', 'create'))));
create policy "Commissions are decided by members allowed to approve them"
  on public.commission_calculations for update to authenticated
  using (organization_id = any ((select app.orgs_with('commissions', 'approve'))))
  with check (organization_id = any ((select app.orgs_with('commissions', 'approve'))));

-- A rep's own payouts are their commission statements: commissions:read shows them.
create policy "Payouts are visible to readers of the organization's payouts, or to their own rep"
  on public.commission_payouts for select to authenticated
  using (organization_id = any ((select app.orgs_reading_all('payouts')))
         or (organization_id = any ((select app.orgs_with('commissions', 'read')))
             and team_member_id = any ((select app.my_team_member_ids()))));
create policy "Payouts are drafted by members allowed to"
  on public.commission_payouts for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('payouts', 'create'))));
create policy "Payouts are locked and marked paid by members allowed to update them"
  on public.commission_payouts for update to authenticated
  using (organization_id = any ((select app.orgs_with('payouts', 'update'))))
  with check (organization_id = any ((select app.orgs_with('payouts', 'update'))));
create policy "Draft payouts are deleted by members allowed to"
  on public.commission_payouts for delete to authenticated
  using (organization_id = any ((select app.orgs_with('payouts', 'delete'))));

create policy "Payout lines are visible with their payout"
  on public.commission_payout_items for select to authenticated
  using (organization_id = any ((select app.orgs_reading_all('payouts')))
         or (organization_id = any ((select app.orgs_with('commissions', 'read')))
             and team_member_id = any ((select app.my_team_member_ids()))));
create policy "Payout lines are added by members allowed to update payouts"
  on public.commission_payout_items for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('payouts', 'update'))));

create policy "Commission plan rows stay inside the caller's organizations"
  on public.commission_plans as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Plan version rows stay inside the caller's organizations"
  on public.commission_plan_versions as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Sale rows stay inside the caller's organizations"
  on public.sales_transactions as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Commission rows stay inside the caller's organizations"
  on public.commission_calculations as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Payout rows stay inside the caller's organizations"
  on public.commission_payouts as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Payout line rows stay inside the caller's organizations"
  on public.commission_payout_items as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));

-- -------------------------------------------------------------------------------------
-- Policies: workers (ingest, calculation, approval outcome, payout batches) for one org
-- -------------------------------------------------------------------------------------
create policy "Workers read the commission plans of the organization they act for"
  on public.commission_plans for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers read the plan versions of the organization they act for"
  on public.commission_plan_versions for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers read the sales of the organization they act for"
  on public.sales_transactions for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers record sales for the organization they act for"
  on public.sales_transactions for insert to worker
  with check (organization_id = (select app.worker_org()));
create policy "Workers update sales of the organization they act for"
  on public.sales_transactions for update to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));
create policy "Workers read the commissions of the organization they act for"
  on public.commission_calculations for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers record commissions for the organization they act for"
  on public.commission_calculations for insert to worker
  with check (organization_id = (select app.worker_org()));
create policy "Workers move commissions of the organization they act for"
  on public.commission_calculations for update to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));
create policy "Workers read the payouts of the organization they act for"
  on public.commission_payouts for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers draft payouts for the organization they act for"
  on public.commission_payouts for insert to worker
  with check (organization_id = (select app.worker_org()));
create policy "Workers update payouts of the organization they act for"
  on public.commission_payouts for update to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));
create policy "Workers read the payout lines of the organization they act for"
  on public.commission_payout_items for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers add payout lines in the organization they act for"
  on public.commission_payout_items for insert to worker
  with check (organization_id = (select app.worker_org()));

create policy "Worker commission plan rows stay inside the organization it acts for"
  on public.commission_plans as restrictive for all to worker
  using (organization_id = (select app.worker_org()));
create policy "Worker plan version rows stay inside the organization it acts for"
  on public.commission_plan_versions as restrictive for all to worker
  using (organization_id = (select app.worker_org()));
create policy "Worker sale rows stay inside the organization it acts for"
  on public.sales_transactions as restrictive for all to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));
create policy "Worker commission rows stay inside the organization it acts for"
  on public.commission_calculations as restrictive for all to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));
create policy "Worker payout rows stay inside the organization it acts for"
  on public.commission_payouts as restrictive for all to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));
create policy "Worker payout line rows stay inside the organization it acts for"
  on public.commission_payout_items as restrictive for all to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));

-- -------------------------------------------------------------------------------------
-- Triggers
-- -------------------------------------------------------------------------------------
create trigger commission_plans_fixed_org before update on public.commission_plans
  for each row execute function app.forbid_organization_change();
create trigger commission_plan_versions_fixed_org before update on public.commission_plan_versions
  for each row execute function app.forbid_organization_change();
create trigger sales_transactions_fixed_org before update on public.sales_transactions
  for each row execute function app.forbid_organization_change();
create trigger commission_calculations_fixed_org before update on public.commission_calculations
  for each row execute function app.forbid_organization_change();
create trigger commission_payouts_fixed_org before update on public.commission_payouts
  for each row execute function app.forbid_organization_change();
create trigger commission_payout_items_fixed_org before update on public.commission_payout_items
  for each row execute function app.forbid_organization_change();

create trigger commission_plans_touch before update on public.commission_plans
  for each row execute function app.touch_updated_at();
create trigger commission_plan_versions_touch before update on public.commission_plan_versions
  for each row execute function app.touch_updated_at();
create trigger sales_transactions_touch before update on public.sales_transactions
  for each row execute function app.touch_updated_at();
create trigger commission_calculations_touch before update on public.commission_calculations
  for each row execute function app.touch_updated_at();
create trigger commission_payouts_touch before update on public.commission_payouts
  for each row execute function app.touch_updated_at();

create trigger commission_plans_author before insert on public.commission_plans
  for each row execute function app.stamp_author('created_by');
create trigger commission_plan_versions_author before insert on public.commission_plan_versions
  for each row execute function app.stamp_author('created_by');
create trigger sales_transactions_author before insert on public.sales_transactions
  for each row execute function app.stamp_author('created_by');
create trigger commission_calculations_author before insert on public.commission_calculations
  for each row execute function app.stamp_author('created_by');
create trigger commission_payouts_author before insert on public.commission_payouts
  for each row execute function app.stamp_author('created_by');
create trigger commission_payout_items_author before insert on public.commission_payout_items
  for each row execute function app.stamp_author('created_by');

create trigger commission_plan_versions_rules before update or delete on public.commission_plan_versions
  for each row execute function app.commission_plan_version_rules();
create trigger commission_calculations_rules before insert or update or delete on public.commission_calculations
  for each row execute function app.commission_calculation_rules();
create trigger commission_calculations_no_truncate before truncate on public.commission_calculations
  for each statement execute function app.commission_calculation_rules();
create trigger commission_payouts_rules before insert or update or delete on public.commission_payouts
  for each row execute function app.commission_payout_rules();
create trigger commission_payout_items_rules before insert or update or delete on public.commission_payout_items
  for each row execute function app.commission_payout_item_rules();
create trigger commission_payout_items_no_truncate before truncate on public.commission_payout_items
  for each statement execute function app.commission_payout_item_rules();

-- Who approved what, on which data: every write to the commission tables is in the trail.
create trigger commission_plans_audit after insert or update or delete on public.commission_plans
  for each row execute function app.audit();
create trigger commission_plan_versions_audit after insert or update or delete on public.commission_plan_versions
  for each row execute function app.audit();
create trigger sales_transactions_audit after insert or update or delete on public.sales_transactions
  for each row execute function app.audit();
create trigger commission_calculations_audit after insert or update or delete on public.commission_calculations
  for each row execute function app.audit();
create trigger commission_payouts_audit after insert or update or delete on public.commission_payouts
  for each row execute function app.audit();
create trigger commission_payout_items_audit after insert or update or delete on public.commission_payout_items
  for each row execute function app.audit();
