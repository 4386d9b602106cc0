-- =====================================================================================
-- Builder and operations: test runs of the unpublished draft, and the payload the builder
-- remembers for them.
-- =====================================================================================

-- -------------------------------------------------------------------------------------
-- workflows.test_payload: the payload of the last test run, offered again by the builder.
-- The API caps it at 256 KiB of JSON; the database refuses anything far beyond that.
-- -------------------------------------------------------------------------------------
alter table public.workflows
  add column test_payload jsonb
  constraint workflows_test_payload_size check (test_payload is null or octet_length(test_payload::text) <= 1048576);

-- -------------------------------------------------------------------------------------
-- executions: a test run has no version; it keeps the draft it ran ({definition, ir}) so its
-- detail can draw the graph and a rerun can run exactly that again. Test runs started from
-- the builder are trigger_type 'test'; a rerun of one stays 'rerun'.
-- -------------------------------------------------------------------------------------
alter table public.executions
  add column draft jsonb
  constraint executions_draft_only_without_version check (draft is null or (version_id is null and jsonb_typeof(draft) = 'object'));

alter table public.executions drop constraint executions_trigger_type_check;
alter table public.executions
  add constraint executions_trigger_type_check
  check (trigger_type in ('manual', 'webhook', 'schedule', 'event', 'subflow', 'rerun', 'test'));

/**
 * As in the flows migration, with test runs: users start a run only as a queued manual run,
 * rerun or test run, and afterwards may only cancel it.
 */
create or replace function app.execution_rules() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and old.status in ('succeeded', 'failed', 'cancelled') and new.status is distinct from old.status then
    raise exception 'this execution already finished (%)', old.status using errcode = 'FL409';
  end if;
  if current_user = 'authenticated' then
    if tg_op = 'INSERT' and (new.status <> 'queued' or new.trigger_type not in ('manual', 'rerun', 'test')
        or new.output is not null or new.error is not null or new.started_at is not null or new.finished_at is not null) then
      raise exception 'users start an execution as a queued manual run, rerun or test run' using errcode = '42501';
    end if;
    if tg_op = 'UPDATE' and (
        (to_jsonb(new) - array['status', 'updated_at']) is distinct from (to_jsonb(old) - array['status', 'updated_at'])
        or (new.status is distinct from old.status and new.status <> 'cancelled')) then
      raise exception 'users can only cancel an execution' using errcode = '42501';
    end if;
  end if;
  if new.status in ('running', 'waiting') and new.started_at is null then
    new.started_at := now();
  end if;
  if new.status in ('succeeded', 'failed', 'cancelled') and new.finished_at is null then
    new.finished_at := now();
  end if;
  return new;
end $$;

-- -------------------------------------------------------------------------------------
-- Audit: a test payload is user data of any size, saved on every test run: by size only, like
-- the other bulky documents.
-- -------------------------------------------------------------------------------------
create or replace function app.audit_summarized(p_column text) returns boolean
language sql immutable set search_path = ''
as $$ select p_column in ('definition', 'ir', 'draft_problems', 'test_payload', 'draft') $$;
