// A workflow for the codec's end-to-end test only: its input, an activity's input and result,
// and its own result all carry what the test looks for in Temporal's history.
import { proxyActivities } from '@temporalio/workflow';

export interface EchoInput {
  orgId: string;
  secret: string;
}

export interface EchoActivities {
  /** Answers its input (an object with orgId: the organization's key). */
  echoRecord(input: EchoInput): Promise<EchoInput>;
  /** Answers a bare string (no orgId: the platform key). */
  echoText(input: EchoInput): Promise<string>;
  /** Fails with the secret in its message. */
  failWith(input: EchoInput): Promise<void>;
}

const { echoRecord, echoText, failWith } = proxyActivities<EchoActivities>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 1 } });

export async function codecEchoWorkflow(input: EchoInput): Promise<{ record: EchoInput; text: string }> {
  return { record: await echoRecord(input), text: await echoText(input) };
}

export async function codecFailingWorkflow(input: EchoInput): Promise<void> {
  await failWith(input);
}
