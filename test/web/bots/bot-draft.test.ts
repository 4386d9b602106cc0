import { toDraft, toFields } from '../../../web/src/bots/bot-draft';
import { InputError } from '../../../web/src/use-submit';
import { bot } from './fixtures';

describe('the bot settings draft', () => {
  it('shows milliseconds as seconds and seconds as hours', () => {
    const draft = toDraft(bot({ replyDebounceMs: 1500, idleTimeoutSeconds: 5400 }));
    expect(draft.replyDebounceSeconds).toBe('1.5');
    expect(draft.idleTimeoutHours).toBe('1.5');
  });

  it('sends seconds as milliseconds, hours as seconds, and an empty model as the platform default', () => {
    const draft = { ...toDraft(bot({ model: 'gpt-x' })), replyDebounceSeconds: '2.5', idleTimeoutHours: '48', model: '  ' };
    const fields = toFields(draft);
    expect(fields).toMatchObject({ replyDebounceMs: 2500, idleTimeoutSeconds: 172_800, model: null });
  });

  it('gives back what it was given when nothing is edited, even for odd durations', () => {
    const original = bot({ replyDebounceMs: 1234, idleTimeoutSeconds: 100 });
    const { id: _id, knowledgeDocuments: _k, createdAt: _c, updatedAt: _u, ...fields } = original;
    expect(toFields(toDraft(original))).toEqual(fields);
  });

  it('reports numbers that do not parse under the API paths', () => {
    const draft = { ...toDraft(bot()), replyDebounceSeconds: 'soon', maxAutoMessages: '2.5', maxToolCallsPerTurn: '' };
    let caught: unknown;
    try {
      toFields(draft);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect(Object.keys((caught as InputError).fields).sort()).toEqual(['guardrails.maxToolCallsPerTurn', 'maxAutoMessages', 'replyDebounceMs']);
  });
});
