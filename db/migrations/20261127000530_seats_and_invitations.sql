-- =====================================================================================
-- Accounts (4/4): seats and invitations
-- =====================================================================================

-- -------------------------------------------------------------------------------------
-- Seats. Limit checks run in AFTER triggers, i.e. once RLS has accepted the row: a BEFORE
-- trigger with owner rights would lock and describe an organization the caller cannot write
-- to (a cross-tenant oracle). Each check locks the organization row first, then counts in a
-- new statement, so concurrent writers queue and each one sees the others' committed rows.
-- NO KEY UPDATE: the foreign-key check of the new row already holds KEY SHARE on that row, and
-- FOR UPDATE would deadlock two writers against each other's KEY SHARE.
-- A pending invitation holds a seat: inviting beyond the plan fails now, not on acceptance.
-- -------------------------------------------------------------------------------------
drop trigger organization_members_limit on public.organization_members;
drop function app.enforce_member_limit();

create or replace function app.count_members() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  org_id uuid := coalesce(new.organization_id, old.organization_id);
  seat_limit int;
  seats int;
  adds_seat boolean := tg_op <> 'DELETE' and new.status <> 'suspended' and (tg_op = 'INSERT' or old.status = 'suspended');
begin
  select o.max_users into seat_limit from public.organizations o where o.id = org_id for no key update;
  select count(*) into seats from public.organization_members m where m.organization_id = org_id and m.status <> 'suspended';
  if adds_seat and seats > seat_limit then
    raise exception 'plan limit reached: max_users is %', seat_limit
      using errcode = 'FL402', detail = jsonb_build_object('limit', 'max_users', 'max', seat_limit)::text;
  end if;
  update public.organizations o set current_users = seats where o.id = org_id;
  return null;
end $$;

create or replace function app.check_invitation() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  org public.organizations;
  pending int;
begin
  select * into org from public.organizations o where o.id = new.organization_id for no key update;
  if exists (select 1 from public.organization_members m join auth.users u on u.id = m.user_id
             where m.organization_id = new.organization_id and lower(u.email) = lower(new.email)) then
    raise exception 'this person is already a member' using errcode = 'FL409';
  end if;
  if exists (select 1 from public.invitations i
             where i.organization_id = new.organization_id and lower(i.email) = lower(new.email) and i.id <> new.id
               and i.accepted_at is null and i.expires_at > now()) then
    raise exception 'this person already has a pending invitation' using errcode = 'FL409';
  end if;
  select count(*) into pending from public.invitations i
  where i.organization_id = new.organization_id and i.accepted_at is null and i.expires_at > now();
  if org.current_users + pending > org.max_users then
    raise exception 'plan limit reached: max_users is %', org.max_users
      using errcode = 'FL402', detail = jsonb_build_object('limit', 'max_users', 'max', org.max_users)::text;
  end if;
  return null;
end $$;

create trigger invitations_rules after insert on public.invitations
  for each row execute function app.check_invitation();

/** GET /invitations/:token: what the invitee is asked to accept. */
create or replace function app.invitation_preview(p_token_hash text)
returns table (organization_name text, email text, role text, expires_at timestamptz)
language sql stable security definer set search_path = ''
as $$
  select o.name, i.email, i.role, i.expires_at
  from public.invitations i join public.organizations o on o.id = i.organization_id
  where i.token_hash = p_token_hash and i.accepted_at is null and i.expires_at > now()
$$;

create or replace function app.accept_invitation_for(p_token_hash text, p_user uuid)
returns table (member_id uuid, organization_id uuid, role text)
language plpgsql security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  inv public.invitations;
  user_email text;
  new_member uuid;
begin
  select * into inv from public.invitations i where i.token_hash = p_token_hash for update;
  if not found or inv.accepted_at is not null or inv.expires_at <= now() then
    raise exception 'invitation not found, already used or expired' using errcode = 'FL404';
  end if;
  select u.email into user_email from auth.users u where u.id = p_user;
  if lower(user_email) is distinct from lower(inv.email) then
    raise exception 'this invitation was sent to another email address' using errcode = 'FL403';
  end if;
  if exists (select 1 from public.organization_members m where m.organization_id = inv.organization_id and m.user_id = p_user) then
    raise exception 'already a member of this organization' using errcode = 'FL409';
  end if;
  update public.invitations i set accepted_at = now() where i.id = inv.id;
  insert into public.organization_members (organization_id, user_id, role)
  values (inv.organization_id, p_user, inv.role) returning id into new_member;
  return query select new_member, inv.organization_id, inv.role;
end $$;

/** POST /invitations/:token/accept by a signed-in user. */
create or replace function app.accept_invitation(p_token_hash text)
returns table (member_id uuid, organization_id uuid, role text)
language plpgsql security definer set search_path = ''
as $$
#variable_conflict use_column
begin
  return query select * from app.accept_invitation_for(p_token_hash, app.signed_in_user());
end $$;

/** POST /invitations/:token/accept by someone new: the account gets the invitation's email. */
create or replace function app.sign_up_with_invitation(p_token_hash text, p_password_hash text, p_full_name text)
returns table (user_id uuid, email text, member_id uuid, organization_id uuid, role text)
language plpgsql security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  inv_email text;
  new_user uuid;
begin
  select i.email into inv_email from public.invitations i
  where i.token_hash = p_token_hash and i.accepted_at is null and i.expires_at > now();
  if inv_email is null then
    raise exception 'invitation not found, already used or expired' using errcode = 'FL404';
  end if;
  new_user := app.insert_user(inv_email, p_password_hash, p_full_name);
  -- The link reached this mailbox: that confirms the address.
  update auth.users u set email_confirmed_at = now() where u.id = new_user;
  return query select new_user, lower(inv_email), a.member_id, a.organization_id, a.role
  from app.accept_invitation_for(p_token_hash, new_user) a;
end $$;

grant execute on function app.invitation_preview(text), app.sign_up_with_invitation(text, text, text) to anon;
grant execute on function app.accept_invitation(text) to authenticated;
