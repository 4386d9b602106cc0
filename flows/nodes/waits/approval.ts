import { z } from 'zod';
import { ROLES } from '../../../db/rbac/matrix';
import { duration, text } from '../../schemas';
import type { NodeType } from '../../types';

const config = z.strictObject({
  /** What the approver is asked (a template). */
  message: text().min(1).meta({ title: 'Message', description: 'What the approver is asked; may use {{ … }} expressions.', 'x-ui': 'multiline' }),
  /** Members with one of these roles may decide. */
  approverRoles: z
    .array(z.enum(ROLES))
    .min(1)
    .refine((roles) => new Set(roles).size === roles.length, 'lists a role twice')
    .default(['owner', 'administrator'])
    .meta({ title: 'Approver roles', description: 'Members with one of these roles may decide.' }),
  /** After this long without a decision the run continues on "timeout". */
  timeout: duration().default('7d').meta({ title: 'Timeout', description: 'After this long without a decision the run continues on “timeout”.', 'x-ui': 'duration' }),
});

export type ApprovalConfig = z.infer<typeof config>;

export const approvalNode: NodeType<ApprovalConfig> = {
  type: 'wait.approval',
  version: 1,
  label: 'Approval',
  group: 'waits',
  description: 'Asks a person to approve or reject, and continues on their answer or on timeout.',
  config,
  handles: () => ['approved', 'rejected', 'timeout'],
  inputs: 'any',
  errorHandle: false,
  runtime: { kind: 'approval' },
};
