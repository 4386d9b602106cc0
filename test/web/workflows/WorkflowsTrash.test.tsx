/** @jest-environment jsdom */
import { screen, waitFor, within } from '@testing-library/react';
import { WorkflowsPage } from '../../../web/src/workflows/WorkflowsPage';
import type { ApiCall } from '../commissions/harness';
import { membership, ORG_ID } from '../commissions/fixtures';
import { mockApi, renderPage, setUpBrowser } from '../commissions/harness';
import { deletedWorkflow, workflow } from './fixtures';

jest.mock('../../../web/src/components/components.css', () => ({}));
jest.mock('../../../web/src/workflows/workflows.css', () => ({}));

const LIST = `GET /orgs/${ORG_ID}/workflows`;
const ORG = `GET /orgs/${ORG_ID}`;
const restoreRoute = (id: string) => `POST /orgs/${ORG_ID}/workflows/${id}/restore`;
const organization = (settings: Record<string, unknown>) => () => ({ body: { id: ORG_ID, name: 'Acme', settings } });

beforeEach(() => {
  setUpBrowser();
  history.replaceState(null, '', `/orgs/${ORG_ID}/workflows`);
});

describe('the workflow trash', () => {
  it('says in the delete confirmation for how many days the workflow can be restored', async () => {
    const api = mockApi({
      [ORG]: organization({ trashRetentionDays: 7 }),
      [`DELETE /orgs/${ORG_ID}/workflows/w1`]: () => ({ status: 204 }),
      [LIST]: () => ({ body: { items: [workflow()], nextCursor: null } }),
    });
    const { user } = renderPage(<WorkflowsPage orgId={ORG_ID} membership={membership('administrator')} />);
    const row = await screen.findByTestId('workflow-row-Lead follow-up');
    await user.click(within(row).getByRole('button', { name: 'Delete Lead follow-up' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete workflow' });
    await waitFor(() => expect(dialog.textContent).toContain('It can be restored from Deleted for 7 days.'));
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(api.to(`DELETE /orgs/${ORG_ID}/workflows/w1`)).toHaveLength(1));
  });

  it('lists deleted workflows with when they were deleted and until when they can be restored, and restores one', async () => {
    const listed = deletedWorkflow({ id: 'w9', name: 'Old campaign' });
    let restored = false;
    const api = mockApi({
      [ORG]: organization({}),
      [LIST]: (call: ApiCall) =>
        call.query.get('deleted') === 'true'
          ? { body: { items: restored ? [] : [listed, deletedWorkflow({ id: 'w8', name: 'Ancient', restorableUntil: new Date(Date.now() - 1000).toISOString() })], nextCursor: null } }
          : { body: { items: restored ? [workflow({ id: 'w9', name: 'Old campaign' })] : [], nextCursor: null } },
      [restoreRoute('w9')]: () => {
        restored = true;
        return { body: { ...workflow({ id: 'w9', name: 'Old campaign' }), definition: { nodes: [], edges: [] }, draftProblems: [], webhook: null, testPayload: null } };
      },
    });
    const { user } = renderPage(<WorkflowsPage orgId={ORG_ID} membership={membership('administrator')} />);
    await user.click(await screen.findByRole('tab', { name: 'Deleted' }));

    const row = await screen.findByTestId('deleted-workflow-Old campaign');
    const cells = within(row).getAllByRole('cell').map((c) => c.textContent);
    expect(cells.slice(0, 4)).toEqual(['Old campaign', 'Published v2', new Date(listed.deletedAt).toLocaleString(), new Date(listed.restorableUntil!).toLocaleString()]);
    expect(await screen.findByText(/A deleted workflow can be restored from Deleted for 30 days\./)).toBeTruthy();
    // Past its window: no way back offered.
    expect(within(screen.getByTestId('deleted-workflow-Ancient')).queryByRole('button', { name: 'Restore Ancient' })).toBeNull();
    expect(within(screen.getByTestId('deleted-workflow-Ancient')).getByText('Past the retention period')).toBeTruthy();

    await user.click(within(row).getByRole('button', { name: 'Restore Old campaign' }));
    expect((await screen.findByTestId('toast')).textContent).toContain('Workflow restored');
    expect(api.to(restoreRoute('w9'))).toHaveLength(1);
    await waitFor(() => expect(screen.queryByTestId('deleted-workflow-Old campaign')).toBeNull());

    await user.click(screen.getByRole('tab', { name: 'Active' }));
    expect(await screen.findByTestId('workflow-row-Old campaign')).toBeTruthy();
  });

  it('shows why a restore is refused', async () => {
    mockApi({
      [ORG]: organization({}),
      [LIST]: (call: ApiCall) => ({ body: { items: call.query.get('deleted') === 'true' ? [deletedWorkflow()] : [], nextCursor: null } }),
      [restoreRoute('w1')]: () => ({
        status: 409,
        body: { type: 'about:blank', title: 'Conflict', status: 409, detail: 'This workflow was deleted longer ago than the trash retention period (trashRetentionDays) and can no longer be restored' },
      }),
    });
    const { user } = renderPage(<WorkflowsPage orgId={ORG_ID} membership={membership('administrator')} />);
    await user.click(await screen.findByRole('tab', { name: 'Deleted' }));
    await user.click(await screen.findByRole('button', { name: 'Restore Lead follow-up' }));
    const toast = await screen.findByRole('alert');
    expect(toast.textContent).toContain('can no longer be restored');
  });

  it('shows the trash to a viewer without a way to restore', async () => {
    mockApi({
      [ORG]: organization({}),
      [LIST]: (call: ApiCall) => ({ body: { items: call.query.get('deleted') === 'true' ? [deletedWorkflow()] : [], nextCursor: null } }),
    });
    const { user } = renderPage(<WorkflowsPage orgId={ORG_ID} membership={membership('viewer')} />);
    await user.click(await screen.findByRole('tab', { name: 'Deleted' }));
    const row = await screen.findByTestId('deleted-workflow-Lead follow-up');
    expect(within(row).queryByRole('button')).toBeNull();
  });
});
