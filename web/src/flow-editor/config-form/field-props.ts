import type { FieldDescriptor } from './schema-fields';

/** What every field component gets: its descriptor, where it sits, its value, and a setter. */
export interface FieldProps<K extends FieldDescriptor['kind'] = FieldDescriptor['kind']> {
  field: Extract<FieldDescriptor, { kind: K }>;
  /** Path in the config ("retry.maximumAttempts", "cases.0.handle"). */
  path: string;
  value: unknown;
  /** undefined = clear the field (its key is removed). */
  onChange(next: unknown): void;
}
