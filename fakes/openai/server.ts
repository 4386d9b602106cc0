/*
 * The fake OpenAI server moved to fakes/llm (tools, JSON-schema answers, scripted rules and the
 * sandbox model). These names keep earlier imports working.
 */
import { startFakeLlm, type FakeLlm } from '../llm';

export type { ChatRequest, Reply } from '../llm';
export type FakeOpenAI = FakeLlm;

export function startFakeOpenAI(options: { apiKey?: string; port?: number } = {}): Promise<FakeOpenAI> {
  return startFakeLlm(options);
}
