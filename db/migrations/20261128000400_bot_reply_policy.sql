-- A bot in suggest mode drafts replies for a person to send: the draft is kept in the
-- transcript, marked, and never delivered nor shown to the model as something the bot said.
alter table public.conversation_messages add column suggested boolean not null default false;
alter table public.conversation_messages add constraint conversation_messages_suggested_role
  check (not suggested or role = 'assistant');
