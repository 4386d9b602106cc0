-- What a flow's GHL step did that must not be done twice: the appointment it booked or the
-- message it sent, keyed by the run, the node and the loop iteration. A retried activity looks
-- here before writing to GHL and answers the recorded result instead of booking or sending again
-- (check-then-write). Rows go with their execution (retention deletes both).

create table public.ghl_actions (
  organization_id uuid not null references public.organizations (id) on delete cascade,
  execution_id uuid not null,
  node_id text not null check (length(node_id) between 1 and 64),
  -- '' outside loops, as in execution_steps.
  iteration text not null default '' check (length(iteration) <= 1000),
  kind text not null check (kind in ('appointment', 'message')),
  integration_id uuid,
  -- The node's output: the appointment, or {conversationId, messageId}.
  result jsonb not null,
  created_at timestamptz not null default now(),
  primary key (organization_id, execution_id, node_id, iteration),
  foreign key (organization_id, execution_id) references public.executions (organization_id, id) on delete cascade
);

grant select on public.ghl_actions to authenticated;
grant select, insert on public.ghl_actions to worker;

alter table public.ghl_actions enable row level security;
alter table public.ghl_actions force row level security;

create policy "GHL step records are visible to members allowed to read executions"
  on public.ghl_actions for select to authenticated
  using (organization_id = any ((select app.orgs_with('executions', 'read'))));
create policy "Workers read the GHL step records of the organization they act for"
  on public.ghl_actions for select to worker
  using (organization_id = (select app.worker_org()));
create policy "Workers record GHL steps for the organization they act for"
  on public.ghl_actions for insert to worker
  with check (organization_id = (select app.worker_org()));

create policy "GHL step rows stay inside the caller's organizations"
  on public.ghl_actions as restrictive for all to authenticated
  using (organization_id = any ((select app.member_orgs())))
  with check (organization_id = any ((select app.member_orgs())));
create policy "Worker GHL step rows stay inside the organization it acts for"
  on public.ghl_actions as restrictive for all to worker
  using (organization_id = (select app.worker_org()))
  with check (organization_id = (select app.worker_org()));

create trigger ghl_actions_fixed_org before update on public.ghl_actions
  for each row execute function app.forbid_organization_change();
