-- =====================================================================================
-- Execution data retention
-- Finished executions (with their steps and payloads, by cascade) older than the
-- organization's `settings.executionRetentionDays` (default 30, 1..3650) are deleted by a
-- scheduled workflow. Running and waiting executions are never pruned, however old.
-- =====================================================================================

create or replace function app.execution_retention_days(p_settings jsonb) returns int
language sql immutable set search_path = ''
as $$
  select case
    when jsonb_typeof(p_settings -> 'executionRetentionDays') = 'number'
      and (p_settings ->> 'executionRetentionDays')::numeric between 1 and 3650
    then floor((p_settings ->> 'executionRetentionDays')::numeric)::int
    else 30
  end
$$;

/**
 * Deletes up to p_batch expired executions across all organizations and answers how many.
 * Platform maintenance: it acts for every organization, so only the worker may call it, and it
 * touches nothing but finished runs past their organization's retention.
 */
create or replace function app.prune_executions(p_batch int default 1000) returns int
language plpgsql security definer set search_path = ''
as $$
declare
  deleted int;
begin
  with expired as (
    select e.id
    from public.executions e
    join public.organizations o on o.id = e.organization_id
    where e.status in ('succeeded', 'failed', 'cancelled')
      and e.finished_at < now() - make_interval(days => app.execution_retention_days(o.settings))
    order by e.finished_at
    limit greatest(1, least(p_batch, 10000))
    for update of e skip locked
  )
  delete from public.executions e using expired where e.id = expired.id;
  get diagnostics deleted = row_count;
  return deleted;
end $$;

grant execute on function app.prune_executions(int) to worker;
