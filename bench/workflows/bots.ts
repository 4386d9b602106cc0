// The workflow bundle of bench/bots.ts: the real conversation workflow beside the baseline, the
// least a workflow answering an update can be (no activity, no state), reached the same way.
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

export { conversationWorkflow } from '../../workflows/bots/conversation';

export const echoUpdate = defineUpdate<string, [string]>('echo');

/** Answers every `echo` update with its argument at once; runs until the stack goes away. */
export async function echoWorkflow(): Promise<void> {
  setHandler(echoUpdate, (text: string) => text);
  await condition(() => false);
}
