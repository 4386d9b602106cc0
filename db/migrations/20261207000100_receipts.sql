-- Opportunity receipts: a file (image or PDF) attached to a GHL opportunity, read by a vision
-- model in the workflow `receipt:<orgId>:<receiptId>`, checked by a person, and linked to the
-- sale it proves. The file itself lives in receipt storage (local disk or S3) under storage_key;
-- the row holds what was read and who decided.
-- Order: tables -> grants -> RLS -> policies -> triggers.

create table public.opportunity_receipts (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  -- GHL's opportunity id (opportunities live in GHL; the API checks it is the org's location's).
  ghl_opportunity_id text not null check (length(ghl_opportunity_id) between 1 and 100),
  contact_id uuid,
  uploaded_by uuid,
  file_name text not null check (length(btrim(file_name)) between 1 and 300),
  content_type text not null check (content_type in ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
  size_bytes int not null check (size_bytes > 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  storage_key text not null check (length(storage_key) between 1 and 300),
  status text not null default 'uploaded'
    check (status in ('uploaded', 'processing', 'needs_review', 'confirmed', 'rejected', 'failed')),
  -- What the model read, in minor units (receipts/extraction.ts); a reviewer's edits replace it.
  extracted jsonb check (extracted is null or jsonb_typeof(extracted) = 'object'),
  -- {field: 0..1} as the model reported it.
  confidence jsonb check (confidence is null or jsonb_typeof(confidence) = 'object'),
  review_reasons text[] not null default '{}',
  low_confidence_fields text[] not null default '{}',
  -- The model's answer when it was not the JSON asked for: kept for the reviewer.
  raw_answer text check (length(raw_answer) <= 100000),
  model text check (length(model) <= 200),
  failure_reason text check (length(failure_reason) <= 2000),
  auto_confirmed boolean not null default false,
  reviewed_by uuid,
  reviewed_at timestamptz,
  reject_reason text check (length(reject_reason) <= 2000),
  sale_id uuid,
  workflow_id text check (length(workflow_id) <= 300),
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id),
  check (status <> 'failed' or failure_reason is not null),
  check (status <> 'rejected' or reject_reason is not null),
  foreign key (organization_id, contact_id) references public.contacts (organization_id, id) on delete set null (contact_id),
  foreign key (organization_id, sale_id) references public.sales_transactions (organization_id, id) on delete set null (sale_id)
);
-- The same bytes twice in an organization are one receipt (a deleted one may come back).
create unique index opportunity_receipts_sha_idx on public.opportunity_receipts (organization_id, sha256) where deleted_at is null;
create index opportunity_receipts_opportunity_idx on public.opportunity_receipts (organization_id, ghl_opportunity_id, created_at desc, id);
create index opportunity_receipts_contact_idx on public.opportunity_receipts (organization_id, contact_id, created_at desc);
create index opportunity_receipts_status_idx on public.opportunity_receipts (organization_id, status, created_at desc, id) where deleted_at is null;
create index opportunity_receipts_sale_idx on public.opportunity_receipts (organization_id, sale_id) where sale_id is not null;

create table public.receipt_settings (
  organization_id uuid primary key references public.organizations (id) on delete cascade,
  -- A receipt read with every field at least this sure (basis points: 8000 = 0.80) and line
  -- items that add up is confirmed without a person when auto_confirm is on.
  auto_confirm boolean not null default false,
  min_confidence_bps int not null default 8000 check (min_confidence_bps between 0 and 10000),
  -- Confirming a receipt records its sale (source 'receipt') when the opportunity has none linked.
  create_sales boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- A confirmed receipt becomes a sale of its own source.
alter table public.sales_transactions drop constraint sales_transactions_source_check;
alter table public.sales_transactions add constraint sales_transactions_source_check
  check (source in ('ghl_invoice', 'ghl_order', 'ghl_workflow', 'manual', 'api', 'receipt'));

-- People may only delete (soft) or restore a receipt; what it says and who decided are written
-- by the workflow (worker role), from the decision the API passed it.
create or replace function app.receipt_user_update_rules() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if current_user = 'authenticated'
     and (to_jsonb(new) - 'deleted_at' - 'updated_at') is distinct from (to_jsonb(old) - 'deleted_at' - 'updated_at') then
    raise exception 'a receipt is only deleted or restored by people; its review goes through its workflow'
      using errcode = '42501';
  end if;
  return new;
end $$;

-- Whether these bytes are already a receipt of the organization, for a member who may not see
-- that receipt (a rep sees only their own): the upload is refused without showing it.
create or replace function app.receipt_sha_taken(p_org uuid, p_sha256 text) returns boolean
language sql stable security definer set search_path = ''
as $$
  select app.is_member(p_org) and exists (
    select 1 from public.opportunity_receipts r
    where r.organization_id = p_org and r.sha256 = p_sha256 and r.deleted_at is null);
$$;
revoke execute on function app.receipt_sha_taken(uuid, text) from public;
grant execute on function app.receipt_sha_taken(uuid, text) to authenticated;

-- -------------------------------------------------------------------------------------
-- Grants (RLS decides which rows)
-- -------------------------------------------------------------------------------------
grant select, insert, update on public.opportunity_receipts to authenticated;
grant select, insert, update on public.receipt_settings to authenticated;
grant select, update on public.opportunity_receipts to worker;
grant select on public.receipt_settings to worker;

alter table public.opportunity_receipts enable row level security;
alter table public.opportunity_receipts force row level security;
alter table public.receipt_settings enable row level security;
alter table public.receipt_settings force row level security;

-- -------------------------------------------------------------------------------------
-- Policies: users. A sales rep sees the receipts they uploaded; readers of all (managers,
-- viewers) see the organization's.
-- -------------------------------------------------------------------------------------
create policy "Receipts are visible to readers of the organization's receipts, or to their uploader"
  on public.opportunity_receipts for select to authenticated
  using (organization_id = any ((select app.orgs_reading_all('receipts')))
         or (organization_id = any ((select app.orgs_with('receipts', 'read'))) and uploaded_by = (select auth.uid())));
create policy "Receipts are uploaded by members allowed to"
  on public.opportunity_receipts for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('receipts', 'create'))) and uploaded_by = (select auth.uid()));
-- People change a receipt only by deleting it (soft); reading and deciding is the workflow's.
create policy "Receipts are deleted (soft) by members allowed to"
  on public.opportunity_receipts for update to authenticated
  using (organization_id = any ((select app.orgs_with('receipts', 'delete'))))
  with check (organization_id = any ((select app.orgs_with('receipts', 'delete'))));
create policy "Receipt rows stay inside the caller's organizations"
  on public.opportunity_receipts as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));

create policy "Receipt settings are visible to members allowed to read receipts"
  on public.receipt_settings for select to authenticated
  using (organization_id = any ((select app.orgs_with('receipts', 'read'))));
create policy "Receipt settings are created by members allowed to update receipts"
  on public.receipt_settings for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('receipts', 'update'))));
create policy "Receipt settings are changed by members allowed to update receipts"
  on public.receipt_settings for update to authenticated
  using (organization_id = any ((select app.orgs_with('receipts', 'update'))))
  with check (organization_id = any ((select app.orgs_with('receipts', 'update'))));
create policy "Receipt settings rows stay inside the caller's organizations"
  on public.receipt_settings as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));

-- -------------------------------------------------------------------------------------
-- Policies: the worker, for the organization it acts for
-- -------------------------------------------------------------------------------------
create policy "Workers read the receipts of the organization they act for"
  on public.opportunity_receipts for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers record what receipts say and what people decided"
  on public.opportunity_receipts for update to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));
create policy "Worker receipt rows stay inside the organization it acts for"
  on public.opportunity_receipts as restrictive for all to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));
create policy "Workers read the receipt settings of the organization they act for"
  on public.receipt_settings for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Worker receipt settings rows stay inside the organization it acts for"
  on public.receipt_settings as restrictive for all to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));

-- -------------------------------------------------------------------------------------
-- Triggers. Audited: settings and receipts (who uploaded, confirmed, rejected, deleted).
-- -------------------------------------------------------------------------------------
create trigger opportunity_receipts_fixed_org before update on public.opportunity_receipts
  for each row execute function app.forbid_organization_change();
create trigger receipt_settings_fixed_org before update on public.receipt_settings
  for each row execute function app.forbid_organization_change();
create trigger opportunity_receipts_touch before update on public.opportunity_receipts
  for each row execute function app.touch_updated_at();
create trigger receipt_settings_touch before update on public.receipt_settings
  for each row execute function app.touch_updated_at();
create trigger opportunity_receipts_user_rules before update on public.opportunity_receipts
  for each row execute function app.receipt_user_update_rules();
create trigger opportunity_receipts_author before insert on public.opportunity_receipts
  for each row execute function app.stamp_author('uploaded_by');
create trigger opportunity_receipts_audit after insert or update or delete on public.opportunity_receipts
  for each row execute function app.audit();
create trigger receipt_settings_audit after insert or update or delete on public.receipt_settings
  for each row execute function app.audit();
