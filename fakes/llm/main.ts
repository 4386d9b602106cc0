import { startFakeLlm } from './server';

/*
 * `npm run fake:llm`: the sandbox model on a fixed port, for `npm start` or any OpenAI client.
 * Settings come from the environment: FAKE_LLM_PORT (default 4020), FAKE_LLM_HOST (default
 * 127.0.0.1), FAKE_LLM_API_KEY (default sk-flowline-sandbox), FAKE_LLM_MODEL (default
 * flowline-sandbox).
 */
async function main() {
  const fake = await startFakeLlm({
    port: Number(process.env.FAKE_LLM_PORT ?? 4020),
    host: process.env.FAKE_LLM_HOST ?? '127.0.0.1',
    apiKey: process.env.FAKE_LLM_API_KEY || 'sk-flowline-sandbox',
    model: process.env.FAKE_LLM_MODEL || 'flowline-sandbox',
  });
  const lines = [
    `Fake LLM (sandbox model) listening on ${fake.url}`,
    `  OPENAI_BASE_URL=${fake.url}`,
    `  OPENAI_API_KEY=${fake.apiKey}`,
    `  model: ${fake.model}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => {
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
