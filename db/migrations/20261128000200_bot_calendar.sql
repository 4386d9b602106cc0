-- =====================================================================================
-- A bot's booking calendar: the GHL calendar its booking tools (find_free_slots,
-- book_appointment) use when the conversation was not given one (conversations started by
-- GHL messages never are). Null: the bot cannot book unless the conversation names a calendar.
-- The existing policies on public.bots cover the column (RLS is per row).
-- =====================================================================================
alter table public.bots add column calendar_id text check (length(btrim(calendar_id)) between 1 and 100);
