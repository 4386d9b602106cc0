// The workflow bundle of bench/flows.ts: the real flow interpreter beside the benchmark's own
// workflows, so one worker runs both against the same servers.
export { flowInterpreterWorkflow } from '../../workflows/flow/interpreter';
export { handWrittenChainWorkflow } from './hand-written';
export { noopWorkflow } from './noop';
