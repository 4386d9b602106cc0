import { connect, dragFromHandle, dragNode, newWorkflow, screenshot, selectNode, signUp, laptopPage, useBrowserStack } from './lib/builder';

describe('the workflow builder in a real browser', () => {
  const stack = useBrowserStack();

  it('builds webhook -> set -> if -> respond by drag-and-drop and forms, publishes it, and shows the webhook run node by node', async () => {
    const { app, browser } = stack;
    const page = await laptopPage(browser);
    const { orgId } = await signUp(page, app.url, 'builder');
    await newWorkflow(page, app.url, orgId, 'Greeter');

    // Four nodes from the palette, connected handle to handle.
    await dragNode(page, 'trigger.webhook', 40, 60);
    await dragNode(page, 'data.set', 300, 60);
    await dragNode(page, 'logic.if', 560, 60);
    await dragNode(page, 'flow.respond', 560, 300);
    for (const id of ['webhook', 'set', 'if', 'respond']) await page.getByTestId(`node-${id}`).waitFor();
    await connect(page, 'webhook', 'out', 'set');
    await connect(page, 'set', 'out', 'if');
    await connect(page, 'if', 'true', 'respond');
    await page.locator('.react-flow__edge').nth(2).waitFor();
    expect(await page.locator('.react-flow__edge').count()).toBe(3);

    // Nothing may lead into a trigger: it has no input handle, and a drag onto it adds no edge.
    expect(await page.locator('.react-flow__handle.target[data-nodeid="webhook"]').count()).toBe(0);
    await dragFromHandle(page, 'respond', 'out', page.getByTestId('node-webhook'));
    expect(await page.locator('.react-flow__edge').count()).toBe(3);
    // Nor may an edge close a cycle (if -> set would loop back).
    await connect(page, 'if', 'false', 'set');
    expect(await page.locator('.react-flow__edge').count()).toBe(3);

    // Tidy up lays the graph out left to right (and keeps nodes apart for the clicks below).
    await page.getByRole('button', { name: 'Tidy up' }).click();
    const x = async (id: string) => (await page.getByTestId(`node-${id}`).boundingBox())!.x;
    const ordered = async () => (await x('webhook')) < (await x('set')) && (await x('set')) < (await x('if')) && (await x('if')) < (await x('respond'));
    for (let i = 0; i < 50 && !(await ordered()); i++) await page.waitForTimeout(100);
    expect(await ordered()).toBe(true);

    // Unconfigured nodes are flagged on the canvas and in the problems list; Publish waits.
    const setProblems = page.getByTestId('node-set').locator('.flow-node-problems');
    await setProblems.waitFor();
    await page.getByRole('region', { name: 'Problems' }).getByText('set').first().waitFor();
    expect(await page.getByRole('button', { name: 'Publish', exact: true }).isDisabled()).toBe(true);

    await selectNode(page, 'webhook');
    await page.getByLabel('Mode', { exact: true }).selectOption('sync');

    await selectNode(page, 'set');
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByLabel('Field 1', { exact: true }).fill('name');
    await page.getByLabel('Value 1', { exact: true }).fill('{{ trigger.body.name }}');
    // The error leaves the node once its config is valid.
    await setProblems.waitFor({ state: 'detached' });

    await selectNode(page, 'if');
    await page.getByLabel('Condition', { exact: true }).selectOption({ label: 'Expression' });
    await page.getByLabel('Condition expression').fill('{{ $length(nodes.set.output.name) > 0 }}');

    await selectNode(page, 'respond');
    await page.getByLabel('Body', { exact: true }).fill('{ "greeting": "Hello {{ nodes.set.output.name }}" }');

    await page.getByTestId('problem-count').getByText('none').waitFor();
    await page.getByTestId('save-state').getByText('All changes saved').waitFor();
    await selectNode(page, 'set');
    await screenshot(page, 'builder-canvas');

    // Publish with a note; the webhook tab then shows the URL to call.
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByLabel('Version note (optional)').fill('First version');
    await page.getByRole('button', { name: 'Publish version' }).click();
    await page.getByTestId('workflow-status').getByText('Published v1').waitFor();
    await page.getByRole('tab', { name: 'Webhook' }).click();
    const hookUrl = await page.getByLabel('Webhook URL').inputValue();
    expect(hookUrl).toMatch(new RegExp(`^${app.url}/hooks/`));

    // What curl would do: POST JSON; the sync webhook answers with the respond node's body.
    const res = await fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ada' }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ greeting: 'Hello Ada' });

    // The execution, node by node, with each one's output.
    await page.goto(`${app.url}/orgs/${orgId}/executions`);
    const row = page.locator('[data-testid^="execution-row-"]').first();
    await row.getByRole('link').first().click();
    await page.locator('.execution-status [data-status="succeeded"]').waitFor();
    const outputOf = async (nodeId: string) => {
      const step = page.getByTestId(`step-row-${nodeId}`);
      await step.getByRole('button', { expanded: false }).first().click();
      return (await step.textContent()) ?? '';
    };
    expect(await outputOf('set')).toContain('Ada');
    expect(await outputOf('if')).toContain('true');
    expect(await outputOf('respond')).toContain('Hello Ada');
    await screenshot(page, 'execution-detail');
  });
});
