/** @jest-environment jsdom */
import { screen, waitFor, within } from '@testing-library/react';
import type { BotGraph } from '../../../web/src/api/bots';
import type { FlowDefinition } from '../../../flows/types';
import { BotPage } from '../../../web/src/bots/BotPage';
import { membership, ORG_ID } from '../commissions/fixtures';
import { mockApi, renderPage, setUpBrowser } from '../commissions/harness';
import { bot, BOT_ID } from './fixtures';
import { mockReactFlow } from './react-flow-jsdom';

jest.mock('../../../web/src/components/components.css', () => ({}));
jest.mock('../../../web/src/bots/bots.css', () => ({}));
jest.mock('../../../web/src/flow-editor/editor.css', () => ({}));
jest.mock('@xyflow/react/dist/style.css', () => ({}));
jest.mock('../../../web/src/flow-editor/config-form/config-form.css', () => ({}));

const BOT = `/orgs/${ORG_ID}/bots/${BOT_ID}`;
const GRAPH = `${BOT}/graph`;
const at = { x: 0, y: 0 };

beforeEach(() => {
  setUpBrowser();
  mockReactFlow();
});

/** start -> greet -> bye: a graph the bot compiler accepts. */
function definition(): FlowDefinition {
  return {
    nodes: [
      { id: 'start', type: 'bot.start', position: at, data: {} },
      { id: 'greet', type: 'bot.message', position: { x: 260, y: 0 }, data: { text: 'Hello! How can I help?' } },
      { id: 'bye', type: 'bot.end', position: { x: 520, y: 0 }, data: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'greet', sourceHandle: 'out' },
      { id: 'e2', source: 'greet', target: 'bye', sourceHandle: 'out' },
    ],
  };
}

function graph(changes: Partial<BotGraph> = {}): BotGraph {
  return { definition: definition(), problems: [], publishedVersion: null, updatedAt: '2026-03-02T10:00:00Z', ...changes };
}

async function openGraph(role: 'administrator' | 'viewer' = 'administrator') {
  const page = renderPage(<BotPage orgId={ORG_ID} membership={membership(role)} botId={BOT_ID} />);
  await page.user.click(await screen.findByRole('tab', { name: 'Graph' }));
  await screen.findByTestId('node-greet');
  return page;
}

describe('the bot graph tab', () => {
  it("draws the bot's graph with the conversation nodes in the palette and says none is published", async () => {
    mockApi({ [`GET ${BOT}`]: () => ({ body: bot() }), [`GET ${GRAPH}`]: () => ({ body: graph() }) });
    await openGraph();

    for (const id of ['start', 'greet', 'bye']) expect(screen.getByTestId(`node-${id}`)).toBeTruthy();
    expect(within(screen.getByTestId('node-greet')).getByText('Send message')).toBeTruthy();
    // Outputs come from the bot registry: a message has one, the end none.
    expect(within(screen.getByTestId('node-greet')).getByLabelText('greet output out')).toBeTruthy();
    expect(within(screen.getByTestId('node-bye')).queryAllByLabelText(/output/)).toHaveLength(0);
    const palette = screen.getByRole('complementary', { name: 'Node palette' });
    for (const type of ['bot.start', 'bot.message', 'bot.ask', 'bot.llm', 'bot.goal', 'bot.condition', 'bot.action', 'bot.handoff', 'bot.end']) {
      expect(within(palette).getByTestId(`palette-${type}`)).toBeTruthy();
    }
    // The workflow nodes are not offered here.
    expect(within(palette).queryByTestId('palette-trigger.webhook')).toBeNull();
    expect(within(palette).getByRole('heading', { name: 'Conversation' })).toBeTruthy();
    expect(screen.getByTestId('graph-published').textContent).toBe('No graph published: the bot converses freely with its goals and tools');
    expect(screen.getByTestId('problem-count').textContent).toBe('none');
  });

  it('saves an added node and its settings as the draft with PUT, listing the problems as they arise', async () => {
    const api = mockApi({
      [`GET ${BOT}`]: () => ({ body: bot() }),
      [`GET ${GRAPH}`]: () => ({ body: graph() }),
      [`PUT ${GRAPH}`]: (call) => ({ body: graph({ definition: (call.body as { definition: FlowDefinition }).definition }) }),
    });
    const { user } = await openGraph();

    await user.click(screen.getByTestId('palette-bot.ask'));
    // Added and selected: the inspector shows its form, and its empty question is a problem.
    const inspector = await screen.findByRole('region', { name: 'Node ask' });
    expect(within(inspector).getByRole('heading', { name: 'Ask' })).toBeTruthy();
    expect(screen.getByTestId('problem-count').textContent).not.toBe('none');
    expect(within(screen.getByTestId('node-ask')).getByLabelText('ask output invalid')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Publish' }).hasAttribute('disabled')).toBe(true);

    await user.type(within(inspector).getByLabelText(/^Question/), 'What is your email?');
    await waitFor(() => expect(JSON.stringify(api.to(`PUT ${GRAPH}`).at(-1)?.body ?? null)).toContain('What is your email?'), { timeout: 4000 });
    const saved = (api.to(`PUT ${GRAPH}`).at(-1)!.body as { definition: FlowDefinition }).definition;
    expect(saved.nodes.map((n) => n.id)).toEqual(['start', 'greet', 'bye', 'ask']);
    expect(saved.nodes.find((n) => n.id === 'ask')).toMatchObject({ type: 'bot.ask', data: { question: 'What is your email?' } });
    expect(saved.edges).toHaveLength(2);
    await waitFor(() => expect(screen.getByTestId('graph-save-state').textContent).toBe('All changes saved'), { timeout: 4000 });
  });

  it('publishes the graph, and lists the problems of a refused publish', async () => {
    let refuse = true;
    const api = mockApi({
      [`GET ${BOT}`]: () => ({ body: bot() }),
      [`GET ${GRAPH}`]: () => ({ body: graph() }),
      [`POST ${GRAPH}/publish`]: () =>
        refuse
          ? {
              status: 422,
              body: {
                type: 'about:blank',
                title: 'Unprocessable Content',
                status: 422,
                detail: 'The graph has problems',
                problems: [{ nodeId: 'greet', path: 'data.text', message: 'mentions a variable nobody asks for', severity: 'error' }],
              },
            }
          : { body: { version: 3, problems: [] } },
    });
    const { user } = await openGraph();

    await user.click(screen.getByRole('button', { name: 'Publish' }));
    const problems = screen.getByRole('region', { name: 'Problems' });
    await waitFor(() => expect(within(problems).getByText(/mentions a variable nobody asks for/)).toBeTruthy());
    expect(screen.getByTestId('problem-count').textContent).toBe('1 error, 0 warnings');
    expect(screen.getByTestId('graph-published').textContent).toMatch(/^No graph published/);

    refuse = false;
    await user.click(screen.getByRole('button', { name: 'Publish' }));
    await waitFor(() => expect(screen.getByTestId('graph-published').textContent).toBe('Version 3 is published: conversations follow the graph'));
    expect(api.to(`POST ${GRAPH}/publish`)).toHaveLength(2);
    // Nothing changed since loading: no save was needed first.
    expect(api.to(`PUT ${GRAPH}`)).toHaveLength(0);
  });

  it('unpublishes, and the bot converses freely again', async () => {
    const api = mockApi({
      [`GET ${BOT}`]: () => ({ body: bot() }),
      [`GET ${GRAPH}`]: () => ({ body: graph({ publishedVersion: 2 }) }),
      [`POST ${GRAPH}/unpublish`]: () => ({ body: { publishedVersion: null } }),
    });
    const { user } = await openGraph();
    expect(screen.getByTestId('graph-published').textContent).toBe('Version 2 is published: conversations follow the graph');

    await user.click(screen.getByRole('button', { name: 'Unpublish' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Unpublish' }));
    await waitFor(() => expect(screen.getByTestId('graph-published').textContent).toBe('No graph published: the bot converses freely with its goals and tools'));
    expect(api.to(`POST ${GRAPH}/unpublish`)).toHaveLength(1);
  });

  it('is read-only for a role that may not change bots', async () => {
    mockApi({ [`GET ${BOT}`]: () => ({ body: bot() }), [`GET ${GRAPH}`]: () => ({ body: graph({ publishedVersion: 2 }) }) });
    await openGraph('viewer');

    expect(screen.getByTestId('graph-save-state').textContent).toBe('Read-only');
    expect(screen.queryByRole('button', { name: 'Publish' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Unpublish' })).toBeNull();
    expect(screen.getByTestId('palette-bot.message').hasAttribute('disabled')).toBe(true);
  });
});
