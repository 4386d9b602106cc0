// The baseline for bench/flows.ts: what a developer would write by hand for a linear chain of
// HTTP calls, with no interpreter in between. It calls the same httpRequest activity as the flow
// interpreter, with the same step context, config and activity options, one call after another.
import { type ActivityOptions, proxyActivities } from '@temporalio/workflow';
import type { FlowActivities, LargeOutputRef } from '../../activities/flow';
import type { HttpRequestConfig, HttpResponse } from '../../activities/flow/http-request';
import type { StepContext } from '../../workflows/flow/steps';

export interface HandWrittenChainInput {
  calls: { ctx: StepContext; config: HttpRequestConfig; options: ActivityOptions }[];
}

export async function handWrittenChainWorkflow(input: HandWrittenChainInput): Promise<HttpResponse | LargeOutputRef | undefined> {
  let last: HttpResponse | LargeOutputRef | undefined;
  for (const call of input.calls) {
    const { httpRequest } = proxyActivities<FlowActivities>(call.options);
    last = await httpRequest(call.ctx, call.config);
  }
  return last;
}
