-- =====================================================================================
-- Handoffs: people take over conversations the bot handed off (or that they pull out of the
-- bot's hands), reply to the contact themselves, and hand the conversation back.
-- A session records who has it while it is handed off. Their replies are conversation
-- messages with the existing `human_agent` role (the role check constraint already allows it;
-- the author is stamped by conversation_messages_author), delivered through the channel by a
-- workflow that marks them delivered like the bot's replies.
-- =====================================================================================

alter table public.conversation_sessions
  add column assigned_user_id uuid,
  add column assigned_at timestamptz,
  -- Only a handed-off conversation has a person on it, and it says since when.
  add constraint conversation_sessions_assignment_check
    check ((assigned_user_id is null or status = 'handed_off') and ((assigned_user_id is null) = (assigned_at is null)));

/**
 * The conversation workflow moves sessions between statuses without knowing about people: a
 * session leaving `handed_off` (resumed by the bot, or closed) frees whoever had it. A person
 * (role authenticated) can only put themselves on a session, never someone else.
 */
create or replace function app.conversation_session_assignment() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if new.status <> 'handed_off' then
    new.assigned_user_id := null;
    new.assigned_at := null;
  elsif current_user = 'authenticated' and new.assigned_user_id is distinct from old.assigned_user_id
        and new.assigned_user_id is not null and new.assigned_user_id is distinct from auth.uid() then
    raise exception 'a person takes over a conversation for themselves only' using errcode = 'FL403';
  end if;
  return new;
end $$;

create trigger conversation_sessions_assignment before update on public.conversation_sessions
  for each row execute function app.conversation_session_assignment();

-- The queue: handed-off sessions of an organization, the oldest handoff first.
drop index if exists public.conversation_sessions_handoff_idx;
create index conversation_sessions_handoff_idx on public.conversation_sessions (organization_id, handed_off_at, id)
  where status = 'handed_off';
