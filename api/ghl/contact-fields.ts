// The contact row fields both GHL webhook kinds map onto (the `contacts` table keeps these).

export interface GhlContactFields {
  ghlContactId: string;
  firstName: string | null;
  lastName: string | null;
  /** GHL's full name when sent, else first + last joined, else null. */
  name: string | null;
  email: string | null;
  phone: string | null;
  tags: string[];
  /** GHL user id of the assigned user. */
  assignedTo: string | null;
  /**
   * Custom field values. Marketplace events send `[{ id, value }]`, so keys are field ids there;
   * workflow "Webhook" actions send values under the field's label, so keys are labels there.
   */
  customFields: Record<string, unknown>;
  dateAdded: string | null;
  /** Only when the delivery says when the contact changed (ContactUpdate may not). */
  dateUpdated?: string | null;
}

export function textOrNull(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

export function fullName(name: unknown, firstName: string | null, lastName: string | null): string | null {
  return textOrNull(name) ?? textOrNull([firstName, lastName].filter(Boolean).join(' '));
}

/** Tags arrive as an array (marketplace events) or one comma-separated string (workflow webhooks). */
export function tagList(value: unknown): string[] {
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  const tags = raw.filter((t): t is string => typeof t === 'string').map((t) => t.trim()).filter((t) => t !== '');
  return [...new Set(tags)];
}

/** The raw contact fields both a webhook and a contact search carry, named as GHL names them. */
export interface GhlContactLike {
  id: string;
  firstName?: unknown;
  lastName?: unknown;
  name?: unknown;
  email?: unknown;
  phone?: unknown;
  tags?: unknown;
  assignedTo?: unknown;
  dateAdded?: unknown;
  dateUpdated?: unknown;
}

/** Our row fields from a GHL contact; custom fields are mapped by the caller (their shape differs). */
export function contactFields(c: GhlContactLike, customFields: Record<string, unknown>): GhlContactFields {
  const firstName = textOrNull(c.firstName);
  const lastName = textOrNull(c.lastName);
  const dateUpdated = textOrNull(c.dateUpdated);
  return {
    ghlContactId: c.id,
    firstName,
    lastName,
    name: fullName(c.name, firstName, lastName),
    email: textOrNull(c.email),
    phone: textOrNull(c.phone),
    tags: tagList(c.tags),
    assignedTo: textOrNull(c.assignedTo),
    customFields,
    dateAdded: textOrNull(c.dateAdded),
    ...(dateUpdated !== null ? { dateUpdated } : {}),
  };
}
