import { startFakeGhl, type FakeGhl } from '../../fakes/ghl';
import { clientFor, ghlErrorOf } from './helpers';

let fake: FakeGhl;
beforeAll(async () => {
  fake = await startFakeGhl({ seed: { contacts: 12 } });
});
afterAll(() => fake.close());

describe('GHL contacts through the client', () => {
  it('creates, reads and updates a contact', async () => {
    const ghl = clientFor(fake);
    const created = await ghl.contacts.create({ firstName: 'Mae', lastName: 'Jemison', email: 'mae@example.com', tags: ['Lead'] });
    expect(created).toMatchObject({ locationId: fake.locationId, firstName: 'Mae', email: 'mae@example.com', tags: ['lead'] });
    expect(fake.state.contacts.get(created.id)?.lastName).toBe('Jemison');

    const read = await ghl.contacts.get(created.id);
    expect(read.id).toBe(created.id);

    const updated = await ghl.contacts.update(created.id, { phone: '+15550009999', customFields: [{ id: 'cf1', field_value: 'gold' }] });
    expect(updated).toMatchObject({ phone: '+15550009999', customFields: [{ id: 'cf1', value: 'gold' }] });
  });

  it('upserts by email: the second call finds the first contact instead of duplicating it', async () => {
    const ghl = clientFor(fake);
    const first = await ghl.contacts.upsert({ email: 'Upsert.Me@example.com', firstName: 'Up' });
    const again = await ghl.contacts.upsert({ email: 'upsert.me@example.com', lastName: 'Sert' });
    expect(first.new).toBe(true);
    expect(again.new).toBe(false);
    expect(again.contact.id).toBe(first.contact.id);
    expect(again.contact).toMatchObject({ firstName: 'Up', lastName: 'Sert' });
    expect([...fake.state.contacts.values()].filter((c) => c.email?.toLowerCase() === 'upsert.me@example.com')).toHaveLength(1);
  });

  it('adds and removes tags (DELETE with a body) and answers the resulting tag list', async () => {
    const ghl = clientFor(fake);
    const c = await ghl.contacts.create({ email: 'tags@example.com', tags: ['a'] });
    expect(await ghl.contacts.addTags(c.id, ['b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(await ghl.contacts.removeTags(c.id, ['a', 'c'])).toEqual(['b']);
    expect(fake.state.contacts.get(c.id)?.tags).toEqual(['b']);
  });

  it('pages through every contact with searchAfter, each exactly once', async () => {
    const ghl = clientFor(fake);
    const expected = [...fake.state.contacts.values()].filter((c) => c.locationId === fake.locationId).map((c) => c.id);
    const seen: string[] = [];
    let searchAfter: (string | number)[] | undefined;
    let pages = 0;
    for (;;) {
      const page = await ghl.contacts.search({ pageLimit: 5, searchAfter });
      pages++;
      expect(page.total).toBe(expected.length);
      seen.push(...page.contacts.map((c) => c.id));
      if (!page.nextSearchAfter || page.contacts.length < 5) break;
      searchAfter = page.nextSearchAfter;
    }
    expect(pages).toBeGreaterThan(2);
    expect(seen.sort()).toEqual([...expected].sort());
  });

  it('filters a search (tags, email, groups)', async () => {
    const ghl = clientFor(fake);
    const vip = await ghl.contacts.search({ filters: [{ field: 'tags', operator: 'eq', value: 'vip' }] });
    expect(vip.total).toBeGreaterThan(0);
    expect(vip.contacts.every((c) => c.tags.includes('vip'))).toBe(true);

    const one = await ghl.contacts.search({
      filters: [{ group: 'OR', filters: [{ field: 'email', operator: 'eq', value: 'tags@example.com' }, { field: 'email', operator: 'eq', value: 'nobody@example.com' }] }],
    });
    expect(one.contacts.map((c) => c.email)).toEqual(['tags@example.com']);
  });

  it('maps GHL error shapes to classified errors', async () => {
    const ghl = clientFor(fake);
    const missing = await ghlErrorOf(ghl.contacts.get('doesNotExist000000000'));
    expect(missing).toMatchObject({ name: 'GhlError', kind: 'not_found', status: 404, message: 'Contact not found' });

    const invalid = await ghlErrorOf(ghl.contacts.create({ email: 'not-an-email' }));
    expect(invalid).toMatchObject({ kind: 'validation', status: 422, message: 'email must be an email' });

    const badSearch = await ghlErrorOf(ghl.contacts.search({ pageLimit: 501 }));
    expect(badSearch).toMatchObject({ kind: 'validation', status: 422 });

    await ghl.contacts.create({ email: 'dup@example.com' });
    const duplicate = await ghlErrorOf(ghl.contacts.create({ email: 'dup@example.com' }));
    expect(duplicate).toMatchObject({ kind: 'validation', status: 400, message: 'This location does not allow duplicated contacts.' });

    const otherLocation = clientFor(fake, { locationId: 'someOtherLocation000' });
    expect(await ghlErrorOf(otherLocation.contacts.create({ email: 'x@example.com' }))).toMatchObject({ kind: 'auth', status: 403 });

    const badToken = clientFor(fake, { accessToken: 'pit-not-a-real-token' });
    const unauthorized = await ghlErrorOf(badToken.contacts.get('whatever'));
    expect(unauthorized).toMatchObject({ kind: 'auth', status: 401, message: 'Invalid token: access token is invalid' });
  });

  it('reports an injected 5xx as transient', async () => {
    const ghl = clientFor(fake);
    fake.failNext({ status: 503, path: /^\/contacts\// });
    expect(await ghlErrorOf(ghl.contacts.search())).toMatchObject({ kind: 'transient', status: 503 });
    expect((await ghl.contacts.search()).total).toBeGreaterThan(0);
  });
});
