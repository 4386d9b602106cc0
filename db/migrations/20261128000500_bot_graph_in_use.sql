-- Which publication of its graph a bot follows: null, it converses freely with its goals and
-- tools. A conversation keeps the version it started with (see the conversation workflow).
alter table public.bots add column graph_version int check (graph_version is null or graph_version > 0);
alter table public.bots add constraint bots_graph_version_fk foreign key (organization_id, id, graph_version)
  references public.chatbot_workflows (organization_id, bot_id, version) deferrable initially deferred;
