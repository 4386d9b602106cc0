-- =====================================================================================
-- The web-chat widget of a bot, and GHL's ids for the replies sent through GHL.
--
-- A bot's widget is reached by site visitors who are not Flowline users: its public key (in
-- the embed snippet) names the bot, and app.bot_widget_target() resolves it for the anonymous
-- role, like the GHL webhook targets; everything after that runs as a worker acting for the
-- bot's organization. A visitor is a contact of that organization (source 'web_widget').
--
-- A reply sent through GHL keeps GHL's messageId in external_message_id (inbound messages
-- already keep theirs there; the ids of both directions are GHL message ids, so the unique
-- constraint holds): the OutboundMessage webhook GHL sends back for it is then known as ours.
-- =====================================================================================

alter table public.bots
  add column widget_enabled boolean not null default false,
  -- 192 random bits (base64url), set by the API when the widget is first enabled or rotated.
  add column widget_key text unique check (widget_key ~ '^[A-Za-z0-9_-]{32}$'),
  -- Exact origins (scheme://host[:port]) allowed to embed the widget and to call it with CORS.
  add column widget_allowed_origins text[] not null default '{}'
    check (cardinality(widget_allowed_origins) <= 50),
  add constraint bots_widget_needs_key check (not widget_enabled or widget_key is not null);

/** The bot and organization of an enabled widget key (for the anonymous role: nothing else). */
create or replace function app.bot_widget_target(p_key text)
returns table (organization_id uuid, bot_id uuid, bot_name text, allowed_origins text[])
language sql stable security definer set search_path = ''
as $$
  select b.organization_id, b.id, b.name, b.widget_allowed_origins
  from public.bots b
  join public.organizations o on o.id = b.organization_id
  where b.widget_key = p_key and b.widget_enabled and b.deleted_at is null
    and o.subscription_status not in ('inactive', 'cancelled')
$$;
revoke all on function app.bot_widget_target(text) from public;
grant execute on function app.bot_widget_target(text) to anon;

/** Messages are a transcript: only their delivery outcome (and the channel's id for it, once) is written after the fact. */
create or replace function app.conversation_message_rules() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if (to_jsonb(new) - array['delivered_at', 'delivery_error', 'external_message_id'])
     is distinct from (to_jsonb(old) - array['delivered_at', 'delivery_error', 'external_message_id']) then
    raise exception 'a conversation message cannot be edited' using errcode = 'FL409';
  end if;
  if old.external_message_id is not null and new.external_message_id is distinct from old.external_message_id then
    raise exception 'a message keeps its channel id' using errcode = 'FL409';
  end if;
  return new;
end $$;
