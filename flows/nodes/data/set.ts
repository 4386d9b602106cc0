import { z } from 'zod';
import { DEFAULT_HANDLE, type NodeType } from '../../types';

const config = z.strictObject({
  /** Output field name -> value; values may be (or contain) templates. */
  fields: z
    .record(z.string().min(1).max(200), z.json())
    .refine((fields) => Object.keys(fields).length <= 200, 'at most 200 fields')
    .meta({ title: 'Fields', description: 'Output field names and their JSON values; a value may be a {{ … }} expression.', 'x-key-label': 'Field' }),
});

export type SetConfig = z.infer<typeof config>;

export const setNode: NodeType<SetConfig> = {
  type: 'data.set',
  version: 1,
  label: 'Set data',
  group: 'data',
  description: 'Builds an object from fixed values and expressions.',
  config,
  handles: () => [DEFAULT_HANDLE],
  inputs: 'any',
  errorHandle: false,
  runtime: {
    kind: 'inline',
    run: (evaluated) => ({ output: evaluated.fields }),
  },
};
