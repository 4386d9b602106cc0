-- =====================================================================================
-- Accounts (3/4): sessions
-- =====================================================================================

-- -------------------------------------------------------------------------------------
-- Sessions: opaque refresh tokens, stored as SHA-256 hashes, rotated on every use. Presenting
-- a token that was already rotated means it leaked: the whole session is revoked.
-- -------------------------------------------------------------------------------------
create table app.refresh_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  session_id uuid not null,
  token_hash text not null unique,
  parent_id uuid references app.refresh_tokens (id) on delete cascade,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);
create index refresh_tokens_session_idx on app.refresh_tokens (session_id);
create index refresh_tokens_user_idx on app.refresh_tokens (user_id);

-- No grants and no policies: only the functions below (owner role) touch it.
alter table app.refresh_tokens enable row level security;
alter table app.refresh_tokens force row level security;

create or replace function app.start_session(p_user uuid, p_token_hash text, p_expires_at timestamptz) returns uuid
language plpgsql security definer set search_path = ''
as $$
declare
  session uuid := gen_random_uuid();
begin
  insert into app.refresh_tokens (user_id, session_id, token_hash, expires_at) values (p_user, session, p_token_hash, p_expires_at);
  return session;
end $$;

/**
 * Exchanges a refresh token for a new one. outcome: 'rotated' (user/email/session filled),
 * 'reused' (the session is now revoked), 'expired', or no row when the token is unknown.
 */
create or replace function app.rotate_refresh_token(p_token_hash text, p_new_hash text, p_expires_at timestamptz)
returns table (outcome text, user_id uuid, email text, session_id uuid)
language plpgsql security definer set search_path = ''
as $$
#variable_conflict use_column
declare
  t app.refresh_tokens;
begin
  -- The row lock serialises concurrent uses of one token: the second one counts as reuse.
  select * into t from app.refresh_tokens r where r.token_hash = p_token_hash for update;
  if not found then
    return;
  end if;
  if t.revoked_at is not null then
    update app.refresh_tokens r set revoked_at = now() where r.session_id = t.session_id and r.revoked_at is null;
    return query select 'reused', t.user_id, null::text, t.session_id;
    return;
  end if;
  if t.expires_at <= now() then
    return query select 'expired', t.user_id, null::text, t.session_id;
    return;
  end if;
  update app.refresh_tokens r set revoked_at = now() where r.id = t.id;
  insert into app.refresh_tokens (user_id, session_id, token_hash, parent_id, expires_at)
  values (t.user_id, t.session_id, p_new_hash, t.id, p_expires_at);
  return query select 'rotated', t.user_id, u.email, t.session_id from auth.users u where u.id = t.user_id;
end $$;

/** Logout: revokes every token of the session the given token belongs to. */
create or replace function app.end_session(p_token_hash text) returns void
language sql security definer set search_path = ''
as $$
  update app.refresh_tokens r set revoked_at = now()
  where r.revoked_at is null
    and r.session_id = (select t.session_id from app.refresh_tokens t where t.token_hash = p_token_hash)
$$;

grant execute on function
  app.start_session(uuid, text, timestamptz), app.rotate_refresh_token(text, text, timestamptz), app.end_session(text)
  to anon;
grant execute on function app.start_session(uuid, text, timestamptz) to authenticated;
