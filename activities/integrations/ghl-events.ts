import { contactFromWebhook, type GhlContactFields, platformEventName } from '../../api/ghl/events';
import type { Sql } from '../../db/client';
import { type EventTriggerConfig, eventMatches } from '../../flows/nodes/triggers/event';
import type { Tx } from '../../db/tenant';
import type { FlowRunInput } from '../../workflows/flow/messages';
import { asWorker, notFound } from '../db/support';
import { createChildExecutionActivities } from '../flow/child-executions';

interface DeliveryRow {
  type: string;
  location_id: string;
  integration_id: string | null;
  occurred_at: Date | null;
  processed_at: Date | null;
  body: { data: Record<string, unknown> } & Record<string, unknown>;
}

/** The type recorded for deliveries of a GHL workflow's "Webhook" action (not a marketplace event). */
export const WORKFLOW_WEBHOOK_TYPE = 'WorkflowWebhook';

const CONTACT_EVENTS = new Set(['ContactCreate', 'ContactUpdate', 'ContactTagUpdate', 'ContactDndUpdate', 'ContactDelete']);

async function loadDelivery(tx: Tx, orgId: string, webhookId: string): Promise<DeliveryRow> {
  const [row] = await tx<DeliveryRow[]>`
    select type, location_id, integration_id, occurred_at, processed_at, body from public.ghl_webhook_events
    where organization_id = ${orgId} and webhook_id = ${webhookId}`;
  if (!row) throw notFound(`GHL delivery ${webhookId}`);
  return row;
}

/**
 * Applies a Contact* event to our copy. Each row remembers when GHL stated what it holds
 * (`ghl_state_at`): a delivery older than that changes nothing, so duplicates and deliveries out
 * of order converge on GHL's latest state. A delete leaves a tombstone for the same reason.
 */
export async function applyContactEvent(tx: Tx, orgId: string, delivery: Pick<DeliveryRow, 'type' | 'integration_id' | 'occurred_at'>, c: GhlContactFields): Promise<void> {
  const at = delivery.occurred_at ?? new Date();
  const deletedAt = delivery.type === 'ContactDelete' ? at : null;
  await tx`
    insert into public.contacts as c (organization_id, integration_id, ghl_contact_id, first_name, last_name, name, email, phone, tags,
      assigned_to, custom_fields, ghl_date_added, ghl_state_at, deleted_at)
    values (${orgId}, ${delivery.integration_id}, ${c.ghlContactId}, ${c.firstName}, ${c.lastName}, ${c.name}, ${c.email}, ${c.phone},
      ${c.tags}, ${c.assignedTo}, ${tx.json(c.customFields as never)}, ${c.dateAdded}, ${at}, ${deletedAt})
    on conflict (organization_id, ghl_contact_id) do update set
      integration_id = coalesce(excluded.integration_id, c.integration_id),
      first_name = excluded.first_name, last_name = excluded.last_name, name = excluded.name, email = excluded.email,
      phone = excluded.phone, tags = excluded.tags, assigned_to = excluded.assigned_to, custom_fields = excluded.custom_fields,
      ghl_date_added = coalesce(excluded.ghl_date_added, c.ghl_date_added), ghl_state_at = excluded.ghl_state_at,
      -- GHL's delete is GHL's (not restorable here); any other event leaves a delete made in
      -- Flowline in place (the contacts trigger keeps it deleted).
      deleted_at = excluded.deleted_at,
      deleted_reason = case when excluded.deleted_at is not null then 'ghl' else c.deleted_reason end
    where c.ghl_state_at is null or c.ghl_state_at <= excluded.ghl_state_at`;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Whether the GHL contact is one a user deleted in Flowline (GHL still has it). */
async function deletedHere(tx: Tx, orgId: string, ghlContactId: string | null): Promise<boolean> {
  if (!ghlContactId) return false;
  const [row] = await tx`
    select 1 from public.contacts where organization_id = ${orgId} and ghl_contact_id = ${ghlContactId} and deleted_reason = 'user'`;
  return row !== undefined;
}

/** The trigger input of a flow started by a delivery (what its conditions are checked against). */
function eventTrigger(delivery: DeliveryRow, webhookId: string) {
  return {
    event: platformEventName(delivery.type),
    payload: delivery.body.data,
    ghl: { webhookId, locationId: delivery.location_id, occurredAt: delivery.occurred_at?.toISOString() ?? null },
  };
}

export function createGhlEventActivities(deps: { sql: Sql }) {
  const children = createChildExecutionActivities(deps);
  return {
    /** Applies a delivery to our data and names the published flows its event starts. */
    async applyGhlEvent(input: { orgId: string; webhookId: string }): Promise<{ event: string | null; subscribers: string[] }> {
      return asWorker(deps.sql, input.orgId, async (tx) => {
        const delivery = await loadDelivery(tx, input.orgId, input.webhookId);
        let contact: GhlContactFields | null = null;
        if (CONTACT_EVENTS.has(delivery.type)) contact = contactFromWebhook(delivery.body.data);
        // A GHL workflow's "Webhook" action carries the contact it ran for, flattened.
        if (delivery.type === WORKFLOW_WEBHOOK_TYPE) contact = (delivery.body.data as { contact: GhlContactFields }).contact;
        if (contact) await applyContactEvent(tx, input.orgId, delivery, contact);
        // Idempotent: a retried activity (its first result lost) applies and answers the same again.
        await tx`update public.ghl_webhook_events set processed_at = coalesce(processed_at, now())
          where organization_id = ${input.orgId} and webhook_id = ${input.webhookId}`;
        let event: string;
        try {
          event = platformEventName(delivery.type);
        } catch {
          return { event: null, subscribers: [] };
        }
        const rows = await tx<{ workflow_id: string; trigger_config: EventTriggerConfig | null }[]>`
          select w.id as workflow_id, v.ir -> 'nodes' -> (v.ir ->> 'triggerId') -> 'config' as trigger_config from public.workflows w
          join public.workflow_versions v on v.workflow_id = w.id and v.version = w.published_version
          where w.organization_id = ${input.orgId} and w.status = 'published' and w.deleted_at is null and w.trigger_type = 'trigger.event'
            and v.ir -> 'nodes' -> (v.ir ->> 'triggerId') -> 'config' ->> 'event' = ${event}
          order by w.id`;
        // A contact someone deleted in Flowline is hidden from it: its GHL events start no flows.
        if (await deletedHere(tx, input.orgId, contact?.ghlContactId ?? str(delivery.body.data.contactId))) return { event, subscribers: [] };
        // A trigger's conditions are checked here, so an event they refuse records no run at all.
        const trigger = eventTrigger(delivery, input.webhookId);
        return { event, subscribers: rows.filter((r) => eventMatches(r.trigger_config, trigger)).map((r) => r.workflow_id) };
      });
    },
    /** Records the run of one subscribing flow; its trigger is `{event, payload}` as for any platform event. */
    async startGhlEventExecution(input: { orgId: string; webhookId: string; workflowId: string; executionId: string }): Promise<FlowRunInput | null> {
      const delivery = await asWorker(deps.sql, input.orgId, (tx) => loadDelivery(tx, input.orgId, input.webhookId));
      const trigger = eventTrigger(delivery, input.webhookId);
      return children.recordEventExecution({ orgId: input.orgId, workflowId: input.workflowId, executionId: input.executionId, trigger });
    },
  };
}

export type GhlEventActivities = ReturnType<typeof createGhlEventActivities>;
