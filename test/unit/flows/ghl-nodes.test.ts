import { compile } from '../../../flows/compiler';
import { eventMatches } from '../../../flows/nodes/triggers/event';
import { NODE_TYPES } from '../../../flows/registry';
import { edge, node, sha256 } from './helpers';

/** Issue paths (dotted) a node type's schema reports for a config. */
function issues(type: string, data: unknown): string[] {
  const parsed = NODE_TYPES[type]!.config.safeParse(data);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
}

describe('GHL node types', () => {
  it('are all run by the ghlAction activity, with an error handle and a retry policy', () => {
    const ghl = Object.values(NODE_TYPES).filter((t) => t.group === 'ghl');
    expect(ghl.map((t) => t.type).sort()).toEqual([
      'ghl.appointment.book',
      'ghl.contact.addTags',
      'ghl.contact.removeTags',
      'ghl.contact.upsert',
      'ghl.message.send',
      'ghl.opportunity.updateStatus',
    ]);
    for (const t of ghl) {
      expect(t.runtime).toEqual({ kind: 'activity', activity: 'ghlAction' });
      expect(t.errorHandle).toBe(true);
      expect(t.retry?.maximumAttempts).toBeGreaterThan(1);
    }
  });

  it('upsert needs an email or a phone, and a real email when it is not a template', () => {
    expect(issues('ghl.contact.upsert', { firstName: 'Ada' })).toEqual(['email']);
    expect(issues('ghl.contact.upsert', { email: 'not an email' })).toEqual(['email']);
    expect(issues('ghl.contact.upsert', { phone: '+15550100' })).toEqual([]);
    expect(issues('ghl.contact.upsert', { email: '{{ trigger.body.email }}' })).toEqual([]);
    expect(NODE_TYPES['ghl.contact.upsert']!.config.parse({ email: 'a@b.example' })).toEqual({ email: 'a@b.example', tags: [], customFields: {} });
  });

  it('tags need a contact and at least one tag; the status is one of four; the integration is a uuid', () => {
    expect(issues('ghl.contact.addTags', { contactId: 'c1', tags: [] })).toEqual(['tags']);
    expect(issues('ghl.contact.removeTags', { tags: ['x'] })).toEqual(['contactId']);
    expect(issues('ghl.opportunity.updateStatus', { opportunityId: 'o1', status: 'closed' })).toEqual(['status']);
    expect(issues('ghl.opportunity.updateStatus', { opportunityId: 'o1', status: 'lost', integrationId: 'abc' })).toEqual(['integrationId']);
  });

  it('booking takes a start time or a whole window, not both, with ISO times or templates', () => {
    const at = { calendarId: 'cal', contactId: 'c1' };
    expect(issues('ghl.appointment.book', { ...at, startTime: '2030-01-07T10:00:00+01:00' })).toEqual([]);
    expect(issues('ghl.appointment.book', { ...at, from: '{{ execution.startedAt }}', to: '2030-01-11T17:00:00Z' })).toEqual([]);
    expect(issues('ghl.appointment.book', { ...at, from: '2030-01-07T09:00:00Z' })).toEqual(['to']);
    expect(issues('ghl.appointment.book', at)).toEqual(['from']);
    expect(issues('ghl.appointment.book', { ...at, startTime: '2030-01-07T10:00:00Z', from: '2030-01-07T09:00:00Z', to: '2030-01-08T09:00:00Z' })).toEqual(['startTime']);
    expect(issues('ghl.appointment.book', { ...at, startTime: 'tomorrow' })).toEqual(['startTime']);
    expect(issues('ghl.appointment.book', { ...at, from: '2030-01-08T09:00:00Z', to: '2030-01-07T09:00:00Z' })).toEqual(['to']);
  });

  it('messages: a text for every channel but an email (text or HTML); email-only fields only on an email', () => {
    expect(issues('ghl.message.send', { contactId: 'c1', type: 'SMS', message: 'Hi' })).toEqual([]);
    expect(issues('ghl.message.send', { contactId: 'c1', type: 'SMS' })).toEqual(['message']);
    expect(issues('ghl.message.send', { contactId: 'c1', type: 'Email', html: '<p>Hi</p>', subject: 'S' })).toEqual([]);
    expect(issues('ghl.message.send', { contactId: 'c1', type: 'WhatsApp', message: 'Hi', subject: 'S' })).toEqual(['subject']);
    expect(issues('ghl.message.send', { contactId: 'c1', type: 'Email', message: 'Hi', fromNumber: '+1555' })).toEqual(['fromNumber']);
    expect(issues('ghl.message.send', { contactId: 'c1', type: 'Fax', message: 'Hi' })).toEqual(['type']);
  });

  it('compile in a flow: upsert → tags → booking → message → status', () => {
    const result = compile(
      {
        nodes: [
          node('start', 'trigger.manual'),
          node('upsert', 'ghl.contact.upsert', { email: '{{ trigger.body.email }}', tags: ['lead'] }),
          node('tag', 'ghl.contact.addTags', { contactId: '{{ nodes.upsert.output.contact.id }}', tags: ['vip'] }),
          node('book', 'ghl.appointment.book', { calendarId: 'cal', contactId: '{{ nodes.upsert.output.contact.id }}', startTime: '{{ trigger.body.at }}' }),
          node('send', 'ghl.message.send', { contactId: '{{ nodes.upsert.output.contact.id }}', type: 'SMS', message: 'See you at {{ nodes.book.output.startTime }}' }),
          node('won', 'ghl.opportunity.updateStatus', { opportunityId: '{{ trigger.body.deal }}', status: 'won' }),
        ],
        edges: [edge('e1', 'start', 'upsert'), edge('e2', 'upsert', 'tag'), edge('e3', 'tag', 'book'), edge('e4', 'book', 'send'), edge('e5', 'send', 'won')],
      },
      { hash: sha256 },
    );
    expect(result).toMatchObject({ ok: true, problems: [] });
    if (result.ok) expect(result.ir.nodes.book!.retry).toEqual(NODE_TYPES['ghl.appointment.book']!.retry);
  });
});

describe('trigger.event conditions', () => {
  const trigger = { event: 'ghl.ContactTagUpdate', payload: { id: 'c1', email: 'ada@example.com', tags: ['lead', 'vip'], customFields: [{ id: 'cf', value: 3 }], dnd: null } };
  const parse = (conditions: unknown) => NODE_TYPES['trigger.event']!.config.parse({ event: 'ghl.ContactTagUpdate', conditions }) as never;

  it('matches every event without conditions (flows compiled before they existed included)', () => {
    expect(eventMatches({}, trigger)).toBe(true);
    expect(eventMatches(null, trigger)).toBe(true);
    expect(eventMatches(parse([]), trigger)).toBe(true);
  });

  it('needs every condition to hold', () => {
    expect(eventMatches(parse([{ path: 'payload.tags', op: 'contains', value: 'vip' }]), trigger)).toBe(true);
    expect(eventMatches(parse([{ path: 'payload.tags', op: 'contains', value: 'gold' }]), trigger)).toBe(false);
    expect(eventMatches(parse([{ path: 'payload.tags', op: 'contains', value: 'vip' }, { path: 'payload.email', value: 'bob@example.com' }]), trigger)).toBe(false);
    expect(eventMatches(parse([{ path: 'payload.email', value: 'ada@example.com' }]), trigger)).toBe(true);
    expect(eventMatches(parse([{ path: 'payload.email', op: 'contains', value: '@example.' }]), trigger)).toBe(true);
    expect(eventMatches(parse([{ path: 'payload.customFields.0', value: { id: 'cf', value: 3 } }]), trigger)).toBe(true);
    expect(eventMatches(parse([{ path: 'payload.customFields.0.value', op: 'notEquals', value: 3 }]), trigger)).toBe(false);
    expect(eventMatches(parse([{ path: 'payload.id', op: 'exists' }, { path: 'payload.dnd', op: 'notExists' }, { path: 'payload.nope.deeper', op: 'notExists' }]), trigger)).toBe(true);
    expect(eventMatches(parse([{ path: 'payload.tags.length', op: 'exists' }]), trigger)).toBe(false);
    expect(eventMatches(parse([{ path: 'payload.__proto__', op: 'exists' }]), trigger)).toBe(false);
  });

  it('refuses malformed conditions', () => {
    const bad = (conditions: unknown) => issues('trigger.event', { event: 'ghl.ContactCreate', conditions });
    expect(bad([{ path: 'payload..tags', value: 'x' }])).toEqual(['conditions.0.path']);
    expect(bad([{ path: 'payload.tags', op: 'contains' }])).toEqual(['conditions.0.value']);
    expect(bad([{ path: 'payload.tags', op: 'exists', value: 1 }])).toEqual(['conditions.0.value']);
    expect(bad([{ path: 'payload.tags', op: 'matches', value: 1 }])).toEqual(['conditions.0.op']);
    expect(bad(Array.from({ length: 21 }, () => ({ path: 'event', op: 'exists' })))).toEqual(['conditions']);
  });
});
