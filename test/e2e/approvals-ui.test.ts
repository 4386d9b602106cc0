import { apiAs, screenshot, signUp, laptopPage, useBrowserStack } from './lib/builder';

describe('approvals in a real browser', () => {
  const stack = useBrowserStack();

  it('a test run waits on its approval node, is approved from the inbox, and finishes with the decision in its timeline', async () => {
    const { app, browser } = stack;
    const page = await laptopPage(browser);
    const { orgId, email } = await signUp(page, app.url, 'approver');
    const api = await apiAs(page, app.url);
    const at = (x: number) => ({ x, y: 0 });
    const workflow = await api<{ id: string }>('POST', `/orgs/${orgId}/workflows`, {
      name: 'Refunds',
      definition: {
        nodes: [
          { id: 'start', type: 'trigger.manual', position: at(0), data: {} },
          { id: 'ask', type: 'wait.approval', position: at(260), data: { message: 'Refund {{ trigger.body.amount }} to {{ trigger.body.customer }}?', approverRoles: ['owner'] } },
          { id: 'refund', type: 'data.set', position: at(520), data: { fields: { refunded: '{{ trigger.body.amount }}' } } },
        ],
        edges: [
          { id: 'e1', source: 'start', target: 'ask', sourceHandle: 'out' },
          { id: 'e2', source: 'ask', target: 'refund', sourceHandle: 'approved' },
        ],
      },
    });

    // Run the draft from the builder with a payload; the approval node lights up as waiting.
    await page.goto(`${app.url}/orgs/${orgId}/workflows/${workflow.id}`);
    await page.getByRole('tab', { name: 'Test run' }).click();
    await page.getByLabel('Test payload (JSON)').fill('{ "amount": 1250, "customer": "Ada" }');
    await page.getByRole('button', { name: 'Run test' }).click();
    await page.locator('[data-testid="node-ask"][data-status="waiting"]').waitFor();
    await page.locator('[data-testid="node-start"][data-status="succeeded"]').waitFor();

    // The inbox lists it with the evaluated message; the owner approves with a comment.
    await page.goto(`${app.url}/orgs/${orgId}/approvals`);
    const card = page.locator('[data-testid^="approval-"]').filter({ hasText: 'Refund 1250 to Ada?' });
    await card.waitFor();
    const executionId = (await card.getAttribute('data-testid'))!.replace(/^approval-/, '').replace(/-ask$/, '');
    await card.getByLabel('Comment').fill('The customer is right');
    await card.getByRole('button', { name: 'Approve' }).click();
    await card.waitFor({ state: 'detached' });
    await page.getByText('Nothing is waiting for you').waitFor();

    // The execution finishes on the "approved" branch; its timeline shows who decided and why.
    await page.goto(`${app.url}/orgs/${orgId}/executions/${executionId}`);
    await page.locator('.execution-status [data-status="succeeded"]').waitFor();
    await page.locator('[data-testid="step-row-refund"][data-status="succeeded"]').waitFor();
    const row = page.getByTestId('step-row-ask');
    await row.getByRole('button', { expanded: false }).first().click();
    const decision = row.getByTestId('approval-decision');
    await decision.waitFor();
    expect(await decision.textContent()).toContain(email);
    expect(await decision.textContent()).toContain('The customer is right');
    await screenshot(page, 'execution-approved');
  });
});
