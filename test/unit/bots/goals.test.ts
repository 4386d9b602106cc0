import { completion, type Goal, progress, toolReaches } from '../../../bots/goals/progress';

const AT = '2026-11-28T10:00:00.000Z';
const GOALS: Goal[] = [
  { id: 'book', name: 'Book', kind: 'appointment_booked' },
  { id: 'email', name: 'Email', kind: 'contact_field', field: 'email' },
  { id: 'vip', name: 'VIP', kind: 'tag_added', tag: 'VIP' },
  { id: 'rapport', name: 'Rapport' },
];

describe('goal progress', () => {
  it.each([
    ['a confirmed booking', GOALS[0]!, { name: 'book_appointment', arguments: { startTime: 'x' }, result: { ok: true, booked: true } }, true],
    ['a refused booking', GOALS[0]!, { name: 'book_appointment', arguments: { startTime: 'x' }, result: { ok: true, booked: false, reason: 'slot taken' } }, false],
    ['a failed booking', GOALS[0]!, { name: 'book_appointment', arguments: {}, result: { ok: false, error: 'GHL 500' } }, false],
    ['slots found only', GOALS[0]!, { name: 'find_free_slots', arguments: {}, result: { ok: true, slots: ['a'] } }, false],
    ['the email stored', GOALS[1]!, { name: 'update_contact_field', arguments: { field: 'email', value: 'a@b.co' }, result: { ok: true } }, true],
    ['another field stored', GOALS[1]!, { name: 'update_contact_field', arguments: { field: 'phone', value: '+1' }, result: { ok: true } }, false],
    ['an empty email', GOALS[1]!, { name: 'update_contact_field', arguments: { field: 'email', value: ' ' }, result: { ok: true } }, false],
    ['the tag in other case', GOALS[2]!, { name: 'add_tag', arguments: { tag: 'vip ' }, result: { ok: true } }, true],
    ['another tag', GOALS[2]!, { name: 'add_tag', arguments: { tag: 'lead' }, result: { ok: true } }, false],
    ['a custom goal by any tool', GOALS[3]!, { name: 'add_tag', arguments: { tag: 'VIP' }, result: { ok: true } }, false],
  ])('%s', (_label, goal, call, reached) => {
    expect(toolReaches(goal, call)).toBe(reached);
  });

  it('marks the goals a turn reached and keeps earlier marks as they were', () => {
    const earlier = { email: { reached: true as const, via: 'update_contact_field', at: '2026-11-27T09:00:00.000Z' } };
    const calls = [
      { name: 'update_contact_field', arguments: { field: 'email', value: 'new@b.co' }, result: { ok: true } },
      { name: 'book_appointment', arguments: { startTime: 'x' }, result: { ok: true, booked: true } },
    ];
    const { state, reached } = progress(GOALS, earlier, calls, AT);
    expect(reached).toEqual(['book']);
    expect(state).toEqual({ ...earlier, book: { reached: true, via: 'book_appointment', at: AT } });
    expect(completion(GOALS, state)).toEqual({ reached: 2, total: 4 });
    expect(completion([], {})).toEqual({ reached: 0, total: 0 });
  });
});
