import { z } from 'zod';
import { jsonEqual } from '../../json';
import { idLike } from '../../schemas';
import type { NodeType } from '../../types';

export const SWITCH_DEFAULT_HANDLE = 'default';
const RESERVED = [SWITCH_DEFAULT_HANDLE, 'error'];

const config = z.strictObject({
  /** The value to compare, usually a template. */
  value: z.json().meta({ title: 'Value', description: 'The value to compare, usually a {{ … }} expression.' }),
  cases: z
    .array(
      z.strictObject({
        handle: idLike()
          .refine((h) => !RESERVED.includes(h), `"default" and "error" are reserved handle names`)
          .meta({ title: 'Handle', description: 'The output this case continues on.' }),
        /** Compared by structural equality with the value; may be a template. */
        equals: z.json().meta({ title: 'Equals', description: 'JSON compared with the value; may be a {{ … }} expression.' }),
      }).meta({ title: 'Case' }),
    )
    .min(1)
    .max(50)
    .superRefine((cases, ctx) => {
      const seen = new Set<string>();
      cases.forEach((c, i) => {
        if (seen.has(c.handle)) ctx.addIssue({ code: 'custom', path: [i, 'handle'], message: `handle "${c.handle}" is used by an earlier case` });
        seen.add(c.handle);
      });
    })
    .meta({ title: 'Cases', description: 'Checked in order; the first equal one wins, else "default".' }),
});

export type SwitchConfig = z.infer<typeof config>;

export const switchNode: NodeType<SwitchConfig> = {
  type: 'logic.switch',
  version: 1,
  label: 'Switch',
  group: 'logic',
  description: 'Continues on the first case whose value equals the input, or on "default".',
  config,
  handles: (c) => [...c.cases.map((x) => x.handle), SWITCH_DEFAULT_HANDLE],
  inputs: 'any',
  errorHandle: false,
  runtime: {
    kind: 'inline',
    run(evaluated) {
      const hit = evaluated.cases.find((c) => jsonEqual(c.equals, evaluated.value));
      const matched = hit?.handle ?? SWITCH_DEFAULT_HANDLE;
      return { output: { value: evaluated.value, matched }, handle: matched };
    },
  },
};
