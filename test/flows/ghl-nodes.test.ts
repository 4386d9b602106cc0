import type { Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Sql } from '../../db/client';
import { createActivities } from '../../activities';
import { LOCAL_IO } from '../../activities/flow';
import { contactEvent, type FakeGhl, startFakeGhl } from '../../fakes/ghl';
import { ghlEventWorkflowId } from '../../workflows/ghl/event';
import { call, tokenFor } from '../helpers/api';
import { startApp, type RunningApp } from '../helpers/app';
import { appSql, testSql } from '../helpers/db';
import { flow, flowApi, type FlowApi } from '../helpers/flow-api';
import { createIntegration, TEST_KEY_RING } from '../helpers/integrations';
import { createTenant, type Tenant } from '../helpers/tenants';
import { connectClient, startWorker, type RunningWorker } from '../helpers/worker';

// GHL node types end to end: flows published and run through the API on the real stack, acting
// on the fake GHL through the organization's sealed credentials.
describe('GHL node types', () => {
  let sql: Sql;
  let fake: FakeGhl;
  let worker: RunningWorker;
  let app: RunningApp;
  let temporal: { client: Client; close: () => Promise<void> };
  let t: Tenant;
  let flows: FlowApi;
  let integrationId: string;

  beforeAll(async () => {
    sql = testSql();
    fake = await startFakeGhl();
    worker = await startWorker({ ghl: { baseUrl: fake.url } });
    app = await startApp({ taskQueue: worker.taskQueue, ghl: { webhookKeys: fake.keys } });
    temporal = await connectClient();
    t = await createTenant(sql, 'ghl-nodes');
    await sql`update public.organizations set max_workflows = 1000 where id = ${t.orgId}`;
    integrationId = (await createIntegration(sql, t.orgId, { locationId: fake.locationId, token: fake.privateToken })).id;
    flows = flowApi(app.url, t.orgId, () => tokenFor(app.auth, t.users.administrator.userId));
  });
  afterAll(async () => {
    await temporal?.close();
    await app?.close();
    await worker?.stop();
    await fake?.close();
    await sql?.end();
  });

  async function runFlow(api: FlowApi, definition: unknown, payload?: unknown) {
    const wf = await api.create(definition);
    await api.publish(wf.id);
    const executionId = await api.run(wf.id, payload);
    return { wf, execution: await api.waitFor(executionId) };
  }
  const step = (execution: any, nodeId: string) => execution.steps.find((s: any) => s.nodeId === nodeId && s.iteration === '');
  const calendarId = () => [...fake.state.calendars.values()][0]!.id;
  const openOpportunity = () => [...fake.state.opportunities.values()].find((o) => o.status === 'open')!;
  /** A window of a week starting tomorrow: the fake's calendars are open 9–17 UTC on weekdays. */
  const window = () => {
    const from = new Date(Date.now() + 86_400_000);
    from.setUTCHours(0, 0, 0, 0);
    return { from: from.toISOString(), to: new Date(from.getTime() + 7 * 86_400_000).toISOString() };
  };

  const chain = () =>
    flow(
      [
        ['start', 'trigger.manual'],
        ['upsert', 'ghl.contact.upsert', { email: '{{ trigger.body.email }}', phone: '+15550142', firstName: 'Grace', tags: ['lead', 'new'], customFields: { cf_plan: '{{ trigger.body.plan }}' } }],
        ['tag', 'ghl.contact.addTags', { contactId: '{{ nodes.upsert.output.contact.id }}', tags: ['vip', '{{ trigger.body.plan }}'] }],
        ['untag', 'ghl.contact.removeTags', { contactId: '{{ nodes.upsert.output.contact.id }}', tags: ['lead'] }],
        ['book', 'ghl.appointment.book', { calendarId: calendarId(), contactId: '{{ nodes.upsert.output.contact.id }}', ...window(), durationMinutes: 30, title: 'Onboarding {{ trigger.body.plan }}' }],
        ['send', 'ghl.message.send', { contactId: '{{ nodes.upsert.output.contact.id }}', type: 'SMS', message: 'See you at {{ nodes.book.output.startTime }}' }],
        ['won', 'ghl.opportunity.updateStatus', { opportunityId: '{{ trigger.body.deal }}', status: 'won' }],
      ],
      [['start', 'upsert'], ['upsert', 'tag'], ['tag', 'untag'], ['untag', 'book'], ['book', 'send'], ['send', 'won']],
    );

  let chainRun: { executionId: string; contactId: string } | undefined;

  it('runs upsert → add tags → remove tags → book → send → opportunity status against GHL', async () => {
    const email = 'grace.flow@example.com';
    const deal = openOpportunity().id;
    const { execution } = await runFlow(flows, chain(), { email, plan: 'gold', deal });
    expect(execution.status).toBe('succeeded');

    const upsert = step(execution, 'upsert');
    expect(upsert.output).toMatchObject({ new: true, contact: { email, firstName: 'Grace', tags: expect.arrayContaining(['lead', 'new']) } });
    const contactId: string = upsert.output.contact.id;
    chainRun = { executionId: execution.id, contactId };
    const contact = fake.state.contacts.get(contactId)!;
    expect([...contact.tags].sort()).toEqual(['gold', 'new', 'vip']);
    expect(contact.customFields).toEqual([{ id: 'cf_plan', value: 'gold' }]);
    expect(step(execution, 'tag').output.tags.sort()).toEqual(['gold', 'lead', 'new', 'vip']);
    expect(step(execution, 'untag').output.tags.sort()).toEqual(['gold', 'new', 'vip']);

    const appointments = [...fake.state.appointments.values()].filter((a) => a.contactId === contactId);
    expect(appointments).toHaveLength(1);
    const booked = appointments[0]!;
    expect(step(execution, 'book').output).toMatchObject({ id: booked.id, calendarId: calendarId(), contactId, title: 'Onboarding gold' });
    const w = window();
    expect(Date.parse(booked.startTime)).toBeGreaterThanOrEqual(Date.parse(w.from));
    expect(Date.parse(booked.endTime) - Date.parse(booked.startTime)).toBe(30 * 60_000);

    const messages = [...fake.state.messages.values()].filter((m) => m.contactId === contactId);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ type: 'SMS', body: `See you at ${booked.startTime}` });
    expect(step(execution, 'send').output).toEqual({ conversationId: messages[0]!.conversationId, messageId: messages[0]!.id });

    expect(fake.state.opportunities.get(deal)!.status).toBe('won');
    expect(step(execution, 'won').output).toEqual({ opportunityId: deal, status: 'won' });
    // Our own record of the two writes that are not idempotent in GHL.
    const records = await sql`select node_id, kind, integration_id from public.ghl_actions where execution_id = ${execution.id} order by node_id`;
    expect(records).toEqual([
      { node_id: 'book', kind: 'appointment', integration_id: null },
      { node_id: 'send', kind: 'message', integration_id: null },
    ]);
  });

  it('a retried booking or message answers what the first attempt did, without writing to GHL again', async () => {
    expect(chainRun).toBeDefined();
    const { executionId, contactId } = chainRun!;
    const workerSql = appSql();
    try {
      const activities = createActivities({ sql: workerSql, ...LOCAL_IO, ghl: { keyRing: TEST_KEY_RING, baseUrl: fake.url, oauth: undefined } });
      const ctx = (nodeId: string, nodeType: string) => ({ orgId: t.orgId, executionId, nodeId, nodeType, iteration: '' });
      const appointments = () => [...fake.state.appointments.values()].filter((a) => a.contactId === contactId).length;
      const messages = () => [...fake.state.messages.values()].filter((m) => m.contactId === contactId).length;
      const before = { appointments: appointments(), messages: messages() };

      const book = { calendarId: calendarId(), contactId, ...window(), integrationId };
      const first = await new MockActivityEnvironment({ attempt: 1 }).run(activities.ghlAction, ctx('rebook', 'ghl.appointment.book'), book);
      // The same step again (its first result was lost): the recorded appointment, no second booking.
      const again = await new MockActivityEnvironment({ attempt: 2 }).run(activities.ghlAction, ctx('rebook', 'ghl.appointment.book'), book);
      expect(again).toEqual(first);
      expect(appointments()).toBe(before.appointments + 1);

      const send = { contactId, type: 'Email', subject: 'Hello', message: 'Once only' };
      const sent = await new MockActivityEnvironment({ attempt: 1 }).run(activities.ghlAction, ctx('resend', 'ghl.message.send'), send);
      const resent = await new MockActivityEnvironment({ attempt: 2 }).run(activities.ghlAction, ctx('resend', 'ghl.message.send'), send);
      expect(resent).toEqual(sent);
      expect(messages()).toBe(before.messages + 1);

      // Another loop iteration of the same node is another booking.
      await new MockActivityEnvironment().run(activities.ghlAction, { ...ctx('rebook', 'ghl.appointment.book'), iteration: 'loop:1' }, book);
      expect(appointments()).toBe(before.appointments + 2);
    } finally {
      await workerSql.end();
    }
  });

  it('retries a booking GHL failed with a 5xx or a 429, and books it once', async () => {
    const contact = [...fake.state.contacts.values()][1]!;
    fake.failNext({ status: 503, method: 'POST', path: '/calendars/events/appointments' });
    fake.failNext({ status: 429, method: 'POST', path: '/calendars/events/appointments' });
    const { execution } = await runFlow(
      flows,
      flow(
        [
          ['start', 'trigger.manual'],
          ['book', 'ghl.appointment.book', { calendarId: calendarId(), contactId: contact.id, ...window(), retry: { initialIntervalMs: 100, maximumIntervalMs: 200 } }],
        ],
        [['start', 'book']],
      ),
    );
    expect(execution.status).toBe('succeeded');
    expect(step(execution, 'book').attempt).toBe(3);
    expect([...fake.state.appointments.values()].filter((a) => a.contactId === contact.id)).toHaveLength(1);
  });

  it('fails a step GHL refuses as invalid or unknown at once, with GHL\'s reason', async () => {
    const { execution } = await runFlow(
      flows,
      flow([['start', 'trigger.manual'], ['tag', 'ghl.contact.addTags', { contactId: 'no-such-contact', tags: ['x'] }]], [['start', 'tag']]),
    );
    expect(execution.status).toBe('failed');
    expect(step(execution, 'tag')).toMatchObject({ status: 'failed', attempt: 1, error: { message: expect.stringMatching(/^GoHighLevel: not found/) } });
  });

  it('a revoked token fails the step without retrying and marks the integration broken', async () => {
    const other = await createTenant(sql, 'ghl-revoked');
    const { id } = await createIntegration(sql, other.orgId, { token: 'pit-revoked-long-ago' });
    const api = flowApi(app.url, other.orgId, () => tokenFor(app.auth, other.users.administrator.userId));
    const requests = fake.requests.length;
    const { execution } = await runFlow(
      api,
      flow([['start', 'trigger.manual'], ['tag', 'ghl.contact.addTags', { contactId: 'c1', tags: ['x'] }]], [['start', 'tag']]),
    );
    expect(execution.status).toBe('failed');
    expect(step(execution, 'tag')).toMatchObject({ status: 'failed', attempt: 1, error: { message: expect.stringContaining('reconnect the location') } });
    expect(fake.requests.slice(requests).filter((r) => r.status === 401)).toHaveLength(1);
    const [row] = await sql`select status, status_detail from public.integrations where id = ${id}`;
    expect(row).toMatchObject({ status: 'broken', status_detail: expect.stringContaining('reconnect') });
  });

  it('without a GHL integration, fails the step at once asking to connect GoHighLevel', async () => {
    const other = await createTenant(sql, 'ghl-none');
    const api = flowApi(app.url, other.orgId, () => tokenFor(app.auth, other.users.administrator.userId));
    const { execution } = await runFlow(
      api,
      flow([['start', 'trigger.manual'], ['won', 'ghl.opportunity.updateStatus', { opportunityId: 'o1', status: 'won' }]], [['start', 'won']]),
    );
    expect(execution.status).toBe('failed');
    expect(step(execution, 'won')).toMatchObject({ status: 'failed', attempt: 1, error: { message: expect.stringMatching(/^Connect GoHighLevel first: No GoHighLevel location is connected/) } });
  });

  it('starts a trigger.event flow only for events its conditions accept, recording nothing for the others', async () => {
    const onTag = (tag: string) =>
      flow(
        [
          ['on', 'trigger.event', { event: 'ghl.ContactTagUpdate', conditions: [{ path: 'payload.tags', op: 'contains', value: tag }] }],
          ['who', 'data.set', { fields: { id: '{{ trigger.payload.id }}' } }],
        ],
        [['on', 'who']],
      );
    const vip = await flows.create(onTag('vip'), 'On VIP');
    await flows.publish(vip.id);
    const platinum = await flows.create(onTag('platinum'), 'On platinum');
    await flows.publish(platinum.id);
    const token = await tokenFor(app.auth, t.users.administrator.userId);

    // An emitted platform event: only the matching flow starts.
    const emitted = await call(app.url, 'POST', `/api/v1/orgs/${t.orgId}/events`, { token, body: { event: 'ghl.ContactTagUpdate', payload: { id: 'c-x', tags: ['vip'] } } });
    expect(emitted.status).toBe(202);
    expect(emitted.body.executions).toHaveLength(1);
    const [first] = await sql`select workflow_id from public.executions where id = ${emitted.body.executions[0].executionId}`;
    expect(first!.workflow_id).toBe(vip.id);

    // A signed GHL webhook: the event's workflow starts the matching flow only.
    const contact = { ...[...fake.state.contacts.values()][2]!, tags: ['sandbox', 'vip'] };
    const [delivery] = await fake.webhooks.send(`${app.url}/api/v1/integrations/ghl/webhooks`, contactEvent('ContactTagUpdate', contact));
    expect(delivery!.status).toBe(200);
    const result = await temporal.client.workflow.getHandle(ghlEventWorkflowId(t.orgId, delivery!.webhookId)).result();
    expect(result.executions).toHaveLength(1);
    const [run] = await sql`select workflow_id, trigger_type from public.executions where id = ${result.executions[0]}`;
    expect(run).toEqual({ workflow_id: vip.id, trigger_type: 'event' });
    const done = await flows.waitFor(result.executions[0]);
    expect(done.output).toEqual({ who: { id: contact.id } });
    // A tag neither flow waits for starts nothing.
    const [other] = await fake.webhooks.send(`${app.url}/api/v1/integrations/ghl/webhooks`, contactEvent('ContactTagUpdate', { ...contact, tags: ['sandbox'] }));
    expect((await temporal.client.workflow.getHandle(ghlEventWorkflowId(t.orgId, other!.webhookId)).result()).executions).toEqual([]);
    const [count] = await sql<{ n: number }[]>`select count(*)::int as n from public.executions where workflow_id = ${platinum.id}`;
    expect(count!.n).toBe(0);
  });

  it('starts no deleted trigger.event flow from a GHL webhook', async () => {
    const tag = `gone-${Date.now()}`;
    const wf = await flows.create(
      flow([['on', 'trigger.event', { event: 'ghl.ContactTagUpdate', conditions: [{ path: 'payload.tags', op: 'contains', value: tag }] }], ['x', 'data.set', { fields: {} }]], [['on', 'x']]),
      'On a deleted tag',
    );
    await flows.publish(wf.id);
    const token = await tokenFor(app.auth, t.users.administrator.userId);
    expect((await call(app.url, 'DELETE', `/api/v1/orgs/${t.orgId}/workflows/${wf.id}`, { token })).status).toBe(204);

    const contact = { ...[...fake.state.contacts.values()][2]!, tags: ['sandbox', tag] };
    const [delivery] = await fake.webhooks.send(`${app.url}/api/v1/integrations/ghl/webhooks`, contactEvent('ContactTagUpdate', contact));
    expect(delivery!.status).toBe(200);
    expect((await temporal.client.workflow.getHandle(ghlEventWorkflowId(t.orgId, delivery!.webhookId)).result()).executions).toEqual([]);
    const [count] = await sql<{ n: number }[]>`select count(*)::int as n from public.executions where workflow_id = ${wf.id}`;
    expect(count!.n).toBe(0);
  });
});
