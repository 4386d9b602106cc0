/*
 * One component per field kind. The switch is exhaustive over FieldKind, so a new kind in
 * schema-fields.ts does not compile until it has a component here.
 */
import type { FieldProps } from './field-props';
import { BooleanField } from './fields/BooleanField';
import { BooleanOrExpressionField } from './fields/BooleanOrExpressionField';
import { ConstField } from './fields/ConstField';
import { ExpressionField } from './fields/ExpressionField';
import { JsonField } from './fields/JsonField';
import { ListField } from './fields/ListField';
import { MapField } from './fields/MapField';
import { MultiSelectField } from './fields/MultiSelectField';
import { NumberField } from './fields/NumberField';
import { ObjectField } from './fields/ObjectField';
import { ObjectListField } from './fields/ObjectListField';
import { SelectField } from './fields/SelectField';
import { StringOrNumberField } from './fields/StringOrNumberField';
import { TextField } from './fields/TextField';
import { UnknownField } from './fields/UnknownField';
import { fieldPath } from './problems';
import type { FieldDescriptor } from './schema-fields';
import { isPlainObject, withKey } from './values';

export function Field(props: FieldProps) {
  const { field } = props;
  switch (field.kind) {
    case 'text':
      return <TextField {...props} field={field} />;
    case 'expression':
      return <ExpressionField {...props} field={field} />;
    case 'number':
      return <NumberField {...props} field={field} />;
    case 'boolean':
      return <BooleanField {...props} field={field} />;
    case 'select':
      return <SelectField {...props} field={field} />;
    case 'multiselect':
      return <MultiSelectField {...props} field={field} />;
    case 'list':
      return <ListField {...props} field={field} />;
    case 'map':
      return <MapField {...props} field={field} />;
    case 'json':
      return <JsonField {...props} field={field} />;
    case 'booleanOrExpression':
      return <BooleanOrExpressionField {...props} field={field} />;
    case 'stringOrNumber':
      return <StringOrNumberField {...props} field={field} />;
    case 'object':
      return <ObjectField {...props} field={field} />;
    case 'objectList':
      return <ObjectListField {...props} field={field} />;
    case 'const':
      return <ConstField {...props} field={field} />;
    case 'unknown':
      return <UnknownField {...props} field={field} />;
    default: {
      const never: never = field;
      return never;
    }
  }
}

/** The fields of one object value; each edit emits the object with that key set or removed. */
export function Fields({ fields, path, value, onChange }: { fields: readonly FieldDescriptor[]; path: string; value: unknown; onChange(next: Record<string, unknown>): void }) {
  const object = isPlainObject(value) ? value : {};
  return (
    <>
      {fields.map((field) => (
        <Field
          key={field.key}
          field={field}
          path={fieldPath(path, field.key)}
          value={object[field.key]}
          onChange={(next) => onChange(withKey(object, field.key, next))}
        />
      ))}
    </>
  );
}
