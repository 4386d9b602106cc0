import { render, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { nodeCatalog } from '../../../flows/registry';
import { ConfigForm, type ConfigFormProps } from '../../../web/src/flow-editor/config-form/ConfigForm';

const SCHEMAS = Object.fromEntries(nodeCatalog().map((entry) => [entry.type, entry.configSchema]));

export function schemaOf(type: string): Record<string, unknown> {
  const schema = SCHEMAS[type];
  if (!schema) throw new Error(`no node type ${type}`);
  return schema;
}

type Extra = Partial<Omit<ConfigFormProps, 'schema' | 'value' | 'onChange'>>;

/**
 * Renders the form of a node type as the editor uses it: the config lives in the parent's state
 * and every onChange replaces it. `emitted` holds each config the form sent.
 */
export function renderForm(type: string, initial: Record<string, unknown>, extra: Extra = {}) {
  const emitted: Record<string, unknown>[] = [];
  function Host() {
    const [value, setValue] = useState(initial);
    return (
      <ConfigForm
        schema={schemaOf(type)}
        value={value}
        idPrefix={extra.idPrefix ?? 'node-n1'}
        {...extra}
        onChange={(next) => {
          emitted.push(next);
          setValue(next);
        }}
      />
    );
  }
  const user = userEvent.setup();
  const result = render(<Host />);
  return {
    ...result,
    user,
    emitted,
    form: within(result.container.firstElementChild as HTMLElement),
    /** The config as it stands (the last one emitted, or the initial one). */
    last: () => emitted.at(-1) ?? initial,
  };
}
