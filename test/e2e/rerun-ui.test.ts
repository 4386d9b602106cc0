import { startTargetServer, type TargetServer } from '../helpers/flow-api';
import { apiAs, screenshot, selectNode, signUp, laptopPage, useBrowserStack } from './lib/builder';

describe('re-running from a failed node in a real browser', () => {
  const stack = useBrowserStack();
  let target: TargetServer;
  beforeAll(async () => {
    target = await startTargetServer({
      '/broken': () => ({ status: 500, body: { error: 'down' } }),
      '/orders': () => ({ status: 200, body: { order: 'A-1', total: 4200 } }),
    });
  });
  afterAll(async () => {
    await target?.close();
  });

  it('a run fails at its HTTP node; after the URL is fixed in the draft, a re-run from that node with the draft succeeds', async () => {
    const { app, browser } = stack;
    const page = await laptopPage(browser);
    const { orgId } = await signUp(page, app.url, 'rerun');
    const api = await apiAs(page, app.url);
    const at = (x: number) => ({ x, y: 0 });
    const workflow = await api<{ id: string }>('POST', `/orgs/${orgId}/workflows`, {
      name: 'Order lookup',
      definition: {
        nodes: [
          { id: 'start', type: 'trigger.manual', position: at(0), data: {} },
          { id: 'fetch', type: 'http.request', position: at(260), data: { method: 'GET', url: `${target.url}/broken`, retry: { maximumAttempts: 1 } } },
          { id: 'summary', type: 'data.set', position: at(520), data: { fields: { order: '{{ nodes.fetch.output.body.order }}' } } },
        ],
        edges: [
          { id: 'e1', source: 'start', target: 'fetch', sourceHandle: 'out' },
          { id: 'e2', source: 'fetch', target: 'summary', sourceHandle: 'out' },
        ],
      },
    });

    await page.goto(`${app.url}/orgs/${orgId}/workflows/${workflow.id}`);
    await page.getByRole('tab', { name: 'Test run' }).click();
    await page.getByRole('button', { name: 'Run test' }).click();
    await page.locator('[data-testid="node-fetch"][data-status="failed"]').waitFor();
    await page.locator('[data-testid="test-run-status"][data-status="failed"]').waitFor();
    const firstRun = await page.getByTestId('test-run-status').getByRole('link', { name: 'open execution' }).getAttribute('href');

    // Fix the node's URL in its form; the draft saves itself.
    await selectNode(page, 'fetch');
    await page.getByRole('tab', { name: 'Node' }).click();
    const url = page.getByLabel('URL', { exact: true });
    await url.fill(`${target.url}/orders`);
    await page.getByTestId('save-state').getByText('All changes saved').waitFor();

    // Re-run the failed run from the fixed node, with the current draft.
    await page.goto(`${app.url}${firstRun}`);
    await page.locator('.execution-status [data-status="failed"]').waitFor();
    await page.getByTestId('step-row-fetch').getByRole('button', { name: /Re-run from this node/ }).click();
    await page.getByLabel('Current draft').check();
    await page.getByRole('button', { name: 'Start re-run' }).click();
    await page.waitForURL((u) => u.pathname !== firstRun && /\/executions\/[0-9a-f-]{36}$/.test(u.pathname));
    await page.locator('.execution-status [data-status="succeeded"]').waitFor();
    const summary = page.getByTestId('step-row-summary');
    await summary.getByRole('button', { expanded: false }).first().click();
    await summary.getByText('A-1').first().waitFor();
    // The fixed node ran once; the failed URL was not called again.
    expect(target.hits.filter((h) => h.path === '/orders')).toHaveLength(1);
    expect(target.hits.filter((h) => h.path === '/broken')).toHaveLength(1);
    await screenshot(page, 'execution-rerun');
  });
});
