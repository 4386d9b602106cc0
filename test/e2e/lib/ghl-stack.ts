import { chromium, type Browser } from 'playwright-core';
import { startFakeGhl, type FakeGhl } from '../../../fakes/ghl';
import { startFakeLlm, type FakeLlm } from '../../../fakes/llm';
import { startApp, type RunningApp } from '../../helpers/app';
import { CHROMIUM_ARGS, chromiumPath } from '../../helpers/browser';
import { startWorker, type RunningWorker } from '../../helpers/worker';

/**
 * The real stack with the fake GHL as the sandbox location (its webhooks signed with keys the
 * app trusts and sent to the app), the sandbox model (the fake LLM) as `npm start` runs it, and a
 * headless Chromium, for one suite. Read the fields
 * inside tests (they are set in beforeAll).
 */
export function useGhlBrowserStack(): { fake: FakeGhl; app: RunningApp; browser: Browser } {
  const stack = {} as { fake: FakeGhl; llm: FakeLlm; app: RunningApp; browser: Browser; worker: RunningWorker };
  beforeAll(async () => {
    stack.fake = await startFakeGhl({ seed: { contacts: 5 } });
    stack.llm = await startFakeLlm();
    stack.worker = await startWorker({ ghl: { baseUrl: stack.fake.url }, llm: { baseURL: stack.llm.url, apiKey: stack.llm.apiKey } });
    stack.app = await startApp({
      taskQueue: stack.worker.taskQueue,
      ghl: {
        baseUrl: stack.fake.url,
        webhookKeys: { ed25519PublicKeyPem: stack.fake.keys.ed25519PublicKeyPem, rsaPublicKeyPem: stack.fake.keys.rsaPublicKeyPem },
        sandbox: { locationId: stack.fake.locationId, companyId: stack.fake.companyId, token: stack.fake.privateToken },
      },
    });
    stack.fake.webhooks.target = `${stack.app.url}/api/v1/integrations/ghl/webhooks`;
    stack.browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await stack.browser?.close();
    await stack.app?.close();
    await stack.worker?.stop();
    await stack.fake?.close();
    await stack.llm?.close();
  });
  return stack;
}
