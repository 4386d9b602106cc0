-- =====================================================================================
-- AI bots: a bot's configuration, its conversation graph (chatbot_workflows), its knowledge
-- base (documents cut into full-text-searchable chunks), and the conversations it holds
-- (sessions and their messages).
-- RBAC resources: `bots` (bots, their graphs and knowledge) and `conversations` (sessions and
-- messages). Workers act for one organization: they read bots and knowledge, ingest knowledge,
-- and write sessions and messages (a conversation workflow's activities).
-- Every child row names its parent through (organization_id, parent_id): no row can point into
-- another organization.
-- Order: tables -> helpers -> grants -> RLS -> policies -> triggers.
-- =====================================================================================

-- -------------------------------------------------------------------------------------
-- Tables
-- -------------------------------------------------------------------------------------
create table public.bots (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 200),
  mode text not null default 'off' check (mode in ('off', 'suggest', 'auto')),
  channels text[] not null default '{}'
    check (channels <@ array['sms', 'email', 'web', 'facebook', 'instagram', 'whatsapp', 'live_chat', 'gmb']::text[]),
  -- Null: the platform's default model.
  model text check (length(model) between 1 and 200),
  -- Who the bot is (tone, name it goes by) and what it must do: both go into the system prompt.
  persona text not null default '' check (length(persona) <= 5000),
  instructions text not null default '' check (length(instructions) <= 20000),
  -- [{id, name, description, ...}]: validated by the app, the database insists on an array.
  goals jsonb not null default '[]'::jsonb check (jsonb_typeof(goals) = 'array'),
  -- {max_tool_calls_per_turn, fallback_message, allowed_tools}: validated by the app.
  guardrails jsonb not null default '{}'::jsonb check (jsonb_typeof(guardrails) = 'object'),
  reply_debounce_ms int not null default 2000 check (reply_debounce_ms between 0 and 600000),
  max_auto_messages int not null default 25 check (max_auto_messages between 0 and 10000),
  sleep_on_human_reply boolean not null default true,
  idle_timeout_seconds int not null default 86400 check (idle_timeout_seconds between 60 and 31536000),
  deleted_at timestamptz,
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id)
);
create index bots_org_name_idx on public.bots (organization_id, name, id) where deleted_at is null;
-- Two live bots of one organization never share a name (a deleted one frees it).
create unique index bots_live_name_idx on public.bots (organization_id, lower(name)) where deleted_at is null;

-- -------------------------------------------------------------------------------------
-- chatbot_workflows: a bot's graph in the flow definition format ({nodes, edges}). Version 0
-- is the bot's one editable draft; versions 1, 2, 3... are publications and never change.
-- -------------------------------------------------------------------------------------
create table public.chatbot_workflows (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  bot_id uuid not null,
  version int not null default 0 check (version >= 0),
  published boolean generated always as (version > 0) stored,
  definition jsonb not null default '{"nodes":[],"edges":[]}'::jsonb
    check (jsonb_typeof(definition) = 'object' and jsonb_typeof(definition -> 'nodes') = 'array'
           and jsonb_typeof(definition -> 'edges') = 'array'),
  -- The compiler's IR and hash, for publications (the draft is compiled on demand).
  ir jsonb check (ir is null or jsonb_typeof(ir) = 'object'),
  hash text,
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id),
  unique (organization_id, bot_id, version),
  check (version = 0 or (ir is not null and hash is not null)),
  foreign key (organization_id, bot_id) references public.bots (organization_id, id) on delete cascade
);

-- -------------------------------------------------------------------------------------
-- Knowledge: a document is what someone uploaded or pasted; its chunks are what retrieval
-- ranks. The same content uploaded twice to one bot is one document (content_sha256).
-- -------------------------------------------------------------------------------------
create table public.knowledge_documents (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  bot_id uuid not null,
  title text not null check (length(btrim(title)) between 1 and 300),
  source_kind text not null check (source_kind in ('text', 'markdown', 'faq', 'pdf')),
  file_name text check (length(file_name) between 1 and 300),
  content_sha256 text not null check (content_sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes int not null check (size_bytes >= 0),
  chunk_count int not null default 0 check (chunk_count >= 0),
  status text not null default 'processing' check (status in ('processing', 'ready', 'failed')),
  error text check (length(error) <= 2000),
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id),
  -- Target of chunks' foreign key: a chunk belongs to a document of its own bot.
  unique (organization_id, bot_id, id),
  unique (organization_id, bot_id, content_sha256),
  check (status <> 'failed' or error is not null),
  foreign key (organization_id, bot_id) references public.bots (organization_id, id) on delete cascade
);
create index knowledge_documents_bot_idx on public.knowledge_documents (organization_id, bot_id, created_at desc, id);

create table public.knowledge_chunks (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  bot_id uuid not null,
  document_id uuid not null,
  position int not null check (position >= 0),
  heading text check (length(heading) <= 1000),
  content text not null check (length(content) between 1 and 8000),
  -- Headings weigh more than body text: a question whose words are a chunk's heading finds it.
  tsv tsvector generated always as (
    setweight(to_tsvector('english', coalesce(heading, '')), 'A') || setweight(to_tsvector('english', content), 'B')
  ) stored,
  created_at timestamptz not null default now(),
  unique (organization_id, id),
  unique (organization_id, document_id, position),
  foreign key (organization_id, bot_id, document_id)
    references public.knowledge_documents (organization_id, bot_id, id) on delete cascade
);
create index knowledge_chunks_bot_idx on public.knowledge_chunks (organization_id, bot_id, document_id, position);
create index knowledge_chunks_tsv_idx on public.knowledge_chunks using gin (tsv);

-- -------------------------------------------------------------------------------------
-- Conversations. A session is one conversation of a bot with a contact; at most one is open
-- (active or handed off) per bot and contact, whatever the channel: the conversation workflow
-- `conversation:<org>:<bot>:<contact>` is one per bot and contact, and a contact who moves
-- from SMS to email keeps talking to the same conversation. `channel` is where it started;
-- each message records its own channel.
-- -------------------------------------------------------------------------------------
create table public.conversation_sessions (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  bot_id uuid not null,
  contact_id uuid not null,
  channel text not null check (channel in ('sms', 'email', 'web', 'facebook', 'instagram', 'whatsapp', 'live_chat', 'gmb')),
  status text not null default 'active' check (status in ('active', 'handed_off', 'closed')),
  goal_state jsonb not null default '{}'::jsonb check (jsonb_typeof(goal_state) = 'object'),
  -- Carried across continue-as-new: what the conversation was about so far.
  summary text check (length(summary) <= 20000),
  temporal_workflow_id text check (length(temporal_workflow_id) <= 500),
  auto_messages_sent int not null default 0 check (auto_messages_sent >= 0),
  last_message_at timestamptz,
  handed_off_at timestamptz,
  closed_at timestamptz,
  closed_reason text check (closed_reason in ('idle', 'goal_reached', 'bot', 'human', 'contact')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id),
  check ((status = 'closed') = (closed_at is not null)),
  foreign key (organization_id, bot_id) references public.bots (organization_id, id) on delete cascade,
  foreign key (organization_id, contact_id) references public.contacts (organization_id, id) on delete cascade
);
create unique index conversation_sessions_open_idx on public.conversation_sessions (organization_id, bot_id, contact_id)
  where status <> 'closed';
create index conversation_sessions_bot_idx on public.conversation_sessions (organization_id, bot_id, last_message_at desc nulls last, id);
create index conversation_sessions_contact_idx on public.conversation_sessions (organization_id, contact_id);
create index conversation_sessions_handoff_idx on public.conversation_sessions (organization_id, handed_off_at)
  where status = 'handed_off';

create table public.conversation_messages (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  session_id uuid not null,
  role text not null check (role in ('user', 'assistant', 'human_agent', 'system', 'tool')),
  channel text check (channel in ('sms', 'email', 'web', 'facebook', 'instagram', 'whatsapp', 'live_chat', 'gmb')),
  text text not null default '' check (length(text) <= 20000),
  tool_calls jsonb check (tool_calls is null or jsonb_typeof(tool_calls) = 'array'),
  -- How a reply was made: prompt, retrieved chunk ids and scores, tool calls and results, errors.
  trace jsonb check (trace is null or jsonb_typeof(trace) = 'object'),
  -- GHL's message id: a webhook delivered twice is one message.
  external_message_id text check (length(external_message_id) between 1 and 200),
  -- A reply's key (workflow id + turn): a retried send finds its row and never sends twice.
  idempotency_key text check (length(idempotency_key) between 1 and 300),
  -- Outbound delivery: null until sent through the channel.
  delivered_at timestamptz,
  delivery_error text check (length(delivery_error) <= 2000),
  -- The signed-in person who wrote a human_agent message.
  author_user_id uuid,
  created_at timestamptz not null default now(),
  unique (organization_id, id),
  unique (organization_id, external_message_id),
  unique (organization_id, idempotency_key),
  foreign key (organization_id, session_id) references public.conversation_sessions (organization_id, id) on delete cascade
);
create index conversation_messages_session_idx on public.conversation_messages (organization_id, session_id, created_at, id);

-- -------------------------------------------------------------------------------------
-- Helpers and rules
-- -------------------------------------------------------------------------------------

/** Publications of a bot's graph never change; only the draft (version 0) is edited. */
create or replace function app.chatbot_workflow_rules() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if old.version > 0 and (to_jsonb(new) - 'updated_at') is distinct from (to_jsonb(old) - 'updated_at') then
    raise exception 'a published bot graph never changes: publish a new version' using errcode = 'FL409';
  end if;
  if new.version <> old.version then
    raise exception 'a bot graph keeps its version' using errcode = 'FL409';
  end if;
  return new;
end $$;

/** Messages are a transcript: only their delivery outcome is written after the fact. */
create or replace function app.conversation_message_rules() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if (to_jsonb(new) - array['delivered_at', 'delivery_error']) is distinct from (to_jsonb(old) - array['delivered_at', 'delivery_error']) then
    raise exception 'a conversation message cannot be edited' using errcode = 'FL409';
  end if;
  return new;
end $$;

-- -------------------------------------------------------------------------------------
-- Grants (RLS decides which rows; the triggers decide which changes)
-- -------------------------------------------------------------------------------------
grant select, insert, update, delete on public.bots, public.chatbot_workflows, public.knowledge_documents,
  public.knowledge_chunks to authenticated;
grant select, update, delete on public.conversation_sessions to authenticated;
grant select, insert on public.conversation_messages to authenticated;
grant select on public.bots, public.chatbot_workflows to worker;
grant select, insert, update on public.knowledge_documents to worker;
grant select, insert on public.knowledge_chunks to worker;
grant select, insert, update on public.conversation_sessions, public.conversation_messages to worker;

-- -------------------------------------------------------------------------------------
-- RLS: enabled and forced
-- -------------------------------------------------------------------------------------
alter table public.bots enable row level security;
alter table public.bots force row level security;
alter table public.chatbot_workflows enable row level security;
alter table public.chatbot_workflows force row level security;
alter table public.knowledge_documents enable row level security;
alter table public.knowledge_documents force row level security;
alter table public.knowledge_chunks enable row level security;
alter table public.knowledge_chunks force row level security;
alter table public.conversation_sessions enable row level security;
alter table public.conversation_sessions force row level security;
alter table public.conversation_messages enable row level security;
alter table public.conversation_messages force row level security;

-- -------------------------------------------------------------------------------------
-- Policies for users: one per command, named as sentences
-- -------------------------------------------------------------------------------------
create policy "Bots are visible to members allowed to read bots"
  on public.bots for select to authenticated
  using (organization_id = any ((select app.orgs_with('bots', 'read'))));
create policy "Bots are created by members allowed to"
  on public.bots for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('bots', 'create'))));
create policy "Bots are updated by members allowed to"
  on public.bots for update to authenticated
  using (organization_id = any ((select app.orgs_with('bots', 'update'))))
  with check (organization_id = any ((select app.orgs_with('bots', 'update'))));
create policy "Bots are deleted by members allowed to"
  on public.bots for delete to authenticated
  using (organization_id = any ((select app.orgs_with('bots', 'delete'))));

create policy "Bot graphs are visible to members allowed to read bots"
  on public.chatbot_workflows for select to authenticated
  using (organization_id = any ((select app.orgs_with('bots', 'read'))));
create policy "Bot graphs are created by members allowed to create bots"
  on public.chatbot_workflows for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('bots', 'create'))));
create policy "Bot graphs are edited by members allowed to update bots"
  on public.chatbot_workflows for update to authenticated
  using (organization_id = any ((select app.orgs_with('bots', 'update'))))
  with check (organization_id = any ((select app.orgs_with('bots', 'update'))));
create policy "Bot graphs are deleted by members allowed to delete bots"
  on public.chatbot_workflows for delete to authenticated
  using (organization_id = any ((select app.orgs_with('bots', 'delete'))));

create policy "Knowledge documents are visible to members allowed to read bots"
  on public.knowledge_documents for select to authenticated
  using (organization_id = any ((select app.orgs_with('bots', 'read'))));
create policy "Knowledge documents are added by members allowed to create bots"
  on public.knowledge_documents for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('bots', 'create'))));
create policy "Knowledge documents are updated by members allowed to update bots"
  on public.knowledge_documents for update to authenticated
  using (organization_id = any ((select app.orgs_with('bots', 'update'))))
  with check (organization_id = any ((select app.orgs_with('bots', 'update'))));
create policy "Knowledge documents are deleted by members allowed to delete bots"
  on public.knowledge_documents for delete to authenticated
  using (organization_id = any ((select app.orgs_with('bots', 'delete'))));

create policy "Knowledge chunks are visible to members allowed to read bots"
  on public.knowledge_chunks for select to authenticated
  using (organization_id = any ((select app.orgs_with('bots', 'read'))));
create policy "Knowledge chunks are added by members allowed to create bots"
  on public.knowledge_chunks for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('bots', 'create'))));
create policy "Knowledge chunks are updated by members allowed to update bots"
  on public.knowledge_chunks for update to authenticated
  using (organization_id = any ((select app.orgs_with('bots', 'update'))))
  with check (organization_id = any ((select app.orgs_with('bots', 'update'))));
create policy "Knowledge chunks are deleted by members allowed to delete bots"
  on public.knowledge_chunks for delete to authenticated
  using (organization_id = any ((select app.orgs_with('bots', 'delete'))));

create policy "Conversations are visible to members allowed to read them"
  on public.conversation_sessions for select to authenticated
  using (organization_id = any ((select app.orgs_with('conversations', 'read'))));
create policy "Conversations are taken over, handed back and closed by members allowed to update them"
  on public.conversation_sessions for update to authenticated
  using (organization_id = any ((select app.orgs_with('conversations', 'update'))))
  with check (organization_id = any ((select app.orgs_with('conversations', 'update'))));
create policy "Conversations are deleted by members allowed to"
  on public.conversation_sessions for delete to authenticated
  using (organization_id = any ((select app.orgs_with('conversations', 'delete'))));

create policy "Messages are visible to members allowed to read conversations"
  on public.conversation_messages for select to authenticated
  using (organization_id = any ((select app.orgs_with('conversations', 'read'))));
-- A person writes only as a human agent, in their own name (stamped by a trigger).
create policy "Human agents reply in conversations they may update"
  on public.conversation_messages for insert to authenticated
  with check (organization_id = any ((select app.orgs_with('conversations', 'update'))) and role = 'human_agent');

-- A restrictive guard on every tenant table: rows outside the caller's organizations are
-- never visible nor writable, whatever the other policies say.
create policy "Bot rows stay inside the caller's organizations"
  on public.bots as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Bot graph rows stay inside the caller's organizations"
  on public.chatbot_workflows as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Knowledge document rows stay inside the caller's organizations"
  on public.knowledge_documents as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Knowledge chunk rows stay inside the caller's organizations"
  on public.knowledge_chunks as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Conversation rows stay inside the caller's organizations"
  on public.conversation_sessions as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Message rows stay inside the caller's organizations"
  on public.conversation_messages as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));

-- -------------------------------------------------------------------------------------
-- Policies for workers: the organization they act for, and only what a conversation needs
-- -------------------------------------------------------------------------------------
create policy "Workers read the bots of the organization they act for"
  on public.bots for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers read the bot graphs of the organization they act for"
  on public.chatbot_workflows for select to worker
  using (organization_id = (select app.worker_org()));

create policy "Workers read the knowledge documents of the organization they act for"
  on public.knowledge_documents for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers ingest knowledge documents for the organization they act for"
  on public.knowledge_documents for insert to worker
  with check (organization_id = (select app.worker_org()));
create policy "Workers update knowledge documents of the organization they act for"
  on public.knowledge_documents for update to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));
create policy "Workers read the knowledge chunks of the organization they act for"
  on public.knowledge_chunks for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers add knowledge chunks for the organization they act for"
  on public.knowledge_chunks for insert to worker
  with check (organization_id = (select app.worker_org()));

create policy "Workers read the conversations of the organization they act for"
  on public.conversation_sessions for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers open conversations for the organization they act for"
  on public.conversation_sessions for insert to worker
  with check (organization_id = (select app.worker_org()));
create policy "Workers update conversations of the organization they act for"
  on public.conversation_sessions for update to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));
create policy "Workers read the messages of the organization they act for"
  on public.conversation_messages for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers record messages for the organization they act for"
  on public.conversation_messages for insert to worker
  with check (organization_id = (select app.worker_org()));
create policy "Workers record message deliveries of the organization they act for"
  on public.conversation_messages for update to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));

create policy "Worker bot rows stay inside the organization it acts for"
  on public.bots as restrictive for all to worker
  using (organization_id = (select app.worker_org()));
create policy "Worker bot graph rows stay inside the organization it acts for"
  on public.chatbot_workflows as restrictive for all to worker
  using (organization_id = (select app.worker_org()));
create policy "Worker knowledge document rows stay inside the organization it acts for"
  on public.knowledge_documents as restrictive for all to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));
create policy "Worker knowledge chunk rows stay inside the organization it acts for"
  on public.knowledge_chunks as restrictive for all to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));
create policy "Worker conversation rows stay inside the organization it acts for"
  on public.conversation_sessions as restrictive for all to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));
create policy "Worker message rows stay inside the organization it acts for"
  on public.conversation_messages as restrictive for all to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));

-- -------------------------------------------------------------------------------------
-- Triggers
-- Audited: bots, their graphs and knowledge documents (people's configuration). Not audited:
-- chunks (derived from their document) and conversations (volume; they are their own record).
-- -------------------------------------------------------------------------------------
create trigger bots_fixed_org before update on public.bots
  for each row execute function app.forbid_organization_change();
create trigger chatbot_workflows_fixed_org before update on public.chatbot_workflows
  for each row execute function app.forbid_organization_change();
create trigger knowledge_documents_fixed_org before update on public.knowledge_documents
  for each row execute function app.forbid_organization_change();
create trigger knowledge_chunks_fixed_org before update on public.knowledge_chunks
  for each row execute function app.forbid_organization_change();
create trigger conversation_sessions_fixed_org before update on public.conversation_sessions
  for each row execute function app.forbid_organization_change();
create trigger conversation_messages_fixed_org before update on public.conversation_messages
  for each row execute function app.forbid_organization_change();

create trigger bots_touch before update on public.bots
  for each row execute function app.touch_updated_at();
create trigger chatbot_workflows_touch before update on public.chatbot_workflows
  for each row execute function app.touch_updated_at();
create trigger knowledge_documents_touch before update on public.knowledge_documents
  for each row execute function app.touch_updated_at();
create trigger conversation_sessions_touch before update on public.conversation_sessions
  for each row execute function app.touch_updated_at();

create trigger bots_author before insert on public.bots
  for each row execute function app.stamp_author('created_by');
create trigger chatbot_workflows_author before insert on public.chatbot_workflows
  for each row execute function app.stamp_author('created_by');
create trigger knowledge_documents_author before insert on public.knowledge_documents
  for each row execute function app.stamp_author('created_by');
create trigger conversation_messages_author before insert on public.conversation_messages
  for each row execute function app.stamp_author('author_user_id');

create trigger chatbot_workflows_rules before update on public.chatbot_workflows
  for each row execute function app.chatbot_workflow_rules();
create trigger conversation_messages_rules before update on public.conversation_messages
  for each row execute function app.conversation_message_rules();

create trigger bots_audit after insert or update or delete on public.bots
  for each row execute function app.audit();
create trigger chatbot_workflows_audit after insert or update or delete on public.chatbot_workflows
  for each row execute function app.audit();
create trigger knowledge_documents_audit after insert or update or delete on public.knowledge_documents
  for each row execute function app.audit();
