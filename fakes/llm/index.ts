export { startFakeLlm, type FakeLlm, type FakeLlmOptions } from './server';
export { SANDBOX } from './policy';
export { instanceOf, validate as validateAgainstSchema } from './schema';
export type * from './types';
