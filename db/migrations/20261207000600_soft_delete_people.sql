-- Soft delete for people: contacts and team members go to the trash (deleted_at) and can be
-- restored while app.in_restore_window() says so (organization setting trashRetentionDays, see
-- 20261207000300_retention_settings.sql); the retention job purges them after that.
--
-- Contacts live in GoHighLevel. A Flowline delete hides the contact here only, and GHL keeps
-- it; so a contact row says who deleted it (deleted_reason): 'ghl' when GHL reported the delete
-- (webhook or sync), 'user' when someone deleted it in Flowline. GHL's later events and syncs
-- keep refreshing a user-deleted contact's fields but never bring it back; only a restore does.
-- A contact GHL deleted is not restorable here: GHL is the source of truth for it.
--
-- Team members are referenced by sales, calculations and payouts. Deleting one used to remove
-- the row, unlinking that history; now the row stays (its name keeps showing on past
-- commissions) and readers that pick members for new work skip deleted ones.

-- -------------------------------------------------------------------------------------
-- Tables
-- -------------------------------------------------------------------------------------
alter table public.contacts
  add column deleted_reason text check (deleted_reason in ('ghl', 'user')),
  -- The login that deleted it in Flowline (null when GHL did).
  add column deleted_by uuid references auth.users (id) on delete set null;

-- Tombstones so far all came from GHL.
update public.contacts set deleted_reason = 'ghl' where deleted_at is not null;

alter table public.contacts
  add constraint contacts_deleted_reason_given check ((deleted_at is null) = (deleted_reason is null));

create index contacts_org_trash_idx on public.contacts (organization_id, deleted_at, id) where deleted_at is not null;

alter table public.team_members
  add column deleted_at timestamptz,
  add column deleted_by uuid references auth.users (id) on delete set null;

-- A deleted member keeps its GHL user id (its history was attributed through it), and a new
-- member may take the same id meanwhile: the id is unique among live members only. Restoring
-- the old one while a live member holds the id is refused by the API (and by this index).
alter table public.team_members drop constraint team_members_organization_id_external_id_key;
create unique index team_members_live_external_id_key on public.team_members (organization_id, external_id)
  where deleted_at is null;
create index team_members_org_trash_idx on public.team_members (organization_id, deleted_at, id) where deleted_at is not null;

-- -------------------------------------------------------------------------------------
-- Policies: members allowed to delete may move rows to the trash and back (an update) even
-- when a custom permission took away the right to edit them.
-- -------------------------------------------------------------------------------------
create policy "Contacts are trashed and restored by members allowed to delete them"
  on public.contacts for update to authenticated
  using (organization_id = any ((select app.orgs_with('contacts', 'delete'))))
  with check (organization_id = any ((select app.orgs_with('contacts', 'delete'))));
create policy "Team members are trashed and restored by members allowed to delete them"
  on public.team_members for update to authenticated
  using (organization_id = any ((select app.orgs_with('team_members', 'delete'))))
  with check (organization_id = any ((select app.orgs_with('team_members', 'delete'))));

-- -------------------------------------------------------------------------------------
-- Functions
-- -------------------------------------------------------------------------------------

-- app.restorable_until(org, deleted_at): 20261207000300_retention_settings.sql.

/**
 * Keeps deleted_reason in step with deleted_at, whoever writes the row:
 *  - a write that clears deleted_at without clearing deleted_reason = 'user' is a GHL write
 *    (event or sync) that knows nothing of the user's delete: the contact stays deleted;
 *    a restore clears both;
 *  - a write that sets deleted_at without a reason is GHL's (the webhook and the sync).
 */
create or replace function app.contacts_keep_deletion() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if new.deleted_at is null then
    if tg_op = 'UPDATE' and old.deleted_reason = 'user' and new.deleted_reason is not distinct from 'user' then
      new.deleted_at := old.deleted_at;
      new.deleted_by := old.deleted_by;
    else
      new.deleted_reason := null;
      new.deleted_by := null;
    end if;
  elsif new.deleted_reason is null then
    new.deleted_reason := 'ghl';
  end if;
  if new.deleted_reason = 'ghl' then
    new.deleted_by := null;
  end if;
  return new;
end $$;

-- -------------------------------------------------------------------------------------
-- Triggers
-- -------------------------------------------------------------------------------------
create trigger contacts_keep_deletion before insert or update on public.contacts
  for each row execute function app.contacts_keep_deletion();
