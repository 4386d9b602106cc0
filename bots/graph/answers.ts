/*
 * What a bot.ask node accepts as an answer, and the value it keeps: pure, so the conversation
 * workflow checks answers itself without an activity.
 */

export const ANSWER_KINDS = ['text', 'email', 'phone', 'number', 'yes_no'] as const;
export type AnswerKind = (typeof ANSWER_KINDS)[number];

/** GHL contact fields a bot may write (the same as the update_contact_field tool). */
export { CONTACT_FIELDS, type ContactField } from '../vocabulary';

const EMAIL = /[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[a-z]{2,}/i;
const YES = new Set(['yes', 'y', 'yeah', 'yep', 'sure', 'ok', 'okay', 'correct', 'si', 'oui']);
const NO = new Set(['no', 'n', 'nope', 'nah', 'not really']);

/** The answer's value, or undefined when the message does not answer that kind of question. */
export function readAnswer(kind: AnswerKind, message: string): string | number | boolean | undefined {
  const said = message.trim();
  if (!said) return undefined;
  switch (kind) {
    case 'text':
      return said;
    case 'email':
      // The address inside a sentence ("it's ada@example.com, thanks"), lower-cased.
      return EMAIL.exec(said)?.[0]?.replace(/[.]+$/, '').toLowerCase();
    case 'phone': {
      const match = /\+?[\d\s().-]{7,}\d/.exec(said)?.[0];
      if (!match) return undefined;
      const digits = match.replace(/\D/g, '');
      if (digits.length < 7 || digits.length > 15) return undefined;
      return `${match.trim().startsWith('+') ? '+' : ''}${digits}`;
    }
    case 'number': {
      const match = /-?\d+(?:[.,]\d+)?/.exec(said.replace(/(\d),(\d{3})\b/g, '$1$2'))?.[0];
      return match === undefined ? undefined : Number(match.replace(',', '.'));
    }
    case 'yes_no': {
      const word = said.toLowerCase().replace(/[!.?]+$/, '');
      if (YES.has(word)) return true;
      if (NO.has(word)) return false;
      return undefined;
    }
  }
}
