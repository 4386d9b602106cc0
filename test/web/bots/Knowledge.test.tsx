/** @jest-environment jsdom */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { KnowledgeDocument, NewKnowledge } from '../../../web/src/api/bots';
import { BotPage } from '../../../web/src/bots/BotPage';
import { membership, ORG_ID } from '../commissions/fixtures';
import { type ApiCall, mockApi, renderPage, setUpBrowser } from '../commissions/harness';
import { bot, BOT_ID, document, retrieved } from './fixtures';

jest.mock('../../../web/src/components/components.css', () => ({}));
jest.mock('../../../web/src/bots/bots.css', () => ({}));

const BOT = `/orgs/${ORG_ID}/bots/${BOT_ID}`;
const KNOWLEDGE = `${BOT}/knowledge`;
const FAQ = 'Q: Do you travel?\nA: Yes, anywhere in the state.\n\nQ: Deposit?\nA: 30% to book the date.\n';

beforeEach(() => setUpBrowser());

/** A knowledge base that keeps what is added, and answers the same text again with the first document. */
function knowledgeBase(initial: KnowledgeDocument[] = []) {
  const docs = [...initial];
  const texts = new Map<string, KnowledgeDocument>();
  return {
    [`GET ${KNOWLEDGE}`]: () => ({ body: { items: docs } }),
    [`POST ${KNOWLEDGE}`]: (call: ApiCall) => {
      const input = call.body as NewKnowledge;
      const known = texts.get(input.text);
      if (known) return { status: 200, body: { document: known, created: false } };
      const doc = document(`d${docs.length + 1}`, { title: input.title, sourceKind: input.sourceKind, fileName: input.fileName ?? null, sizeBytes: new Blob([input.text]).size, chunkCount: 2 });
      docs.unshift(doc);
      texts.set(input.text, doc);
      return { status: 201, body: { document: doc, created: true } };
    },
  };
}

async function openKnowledge(routes: Record<string, (call: ApiCall) => { status?: number; body?: unknown }> = knowledgeBase()) {
  const api = mockApi({ [`GET ${BOT}`]: () => ({ body: bot() }), ...routes });
  const page = renderPage(<BotPage orgId={ORG_ID} membership={membership('bot_trainer')} botId={BOT_ID} />);
  await page.user.click(await screen.findByRole('tab', { name: 'Knowledge' }));
  return { api, ...page };
}

describe('the knowledge base', () => {
  it('adds a pasted FAQ and lists it', async () => {
    const { api, user } = await openKnowledge();
    expect((await screen.findByTestId('empty-state')).textContent).toContain('No knowledge yet');
    await user.type(screen.getByLabelText('Title'), 'Travel FAQ');
    await user.selectOptions(screen.getByLabelText('Kind'), 'faq');
    // Pasted, as a trainer would.
    await user.click(screen.getByLabelText('Text'));
    await user.paste(FAQ);
    await user.click(screen.getByRole('button', { name: 'Add to knowledge' }));

    const row = await screen.findByTestId('document-d1');
    expect(api.to(`POST ${KNOWLEDGE}`).map((c) => c.body)).toEqual([{ title: 'Travel FAQ', sourceKind: 'faq', text: FAQ }]);
    expect(within(row).getAllByRole('cell').slice(0, 4).map((c) => c.textContent)).toEqual(['Travel FAQ', 'FAQ', '2', `${new Blob([FAQ]).size} B`]);
    expect((screen.getByLabelText('Text') as HTMLTextAreaElement).value).toBe('');
  });

  it('sends a dropped .md file as markdown with its file name, showing its size first', async () => {
    const { api, user } = await openKnowledge();
    const text = '# Prices\n\nAlbums start at 900.\n';
    fireEvent.drop(screen.getByTestId('knowledge-dropzone'), { dataTransfer: { files: [new File([text], 'price-list.md', { type: 'text/markdown' })] } });

    expect((await screen.findByTestId('knowledge-file')).textContent).toContain(`price-list.md · ${new Blob([text]).size} B`);
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('price-list');
    expect((screen.getByLabelText('Kind') as HTMLSelectElement).value).toBe('markdown');
    await user.click(screen.getByRole('button', { name: 'Add to knowledge' }));

    await screen.findByTestId('document-d1');
    expect(api.to(`POST ${KNOWLEDGE}`).map((c) => c.body)).toEqual([{ title: 'price-list', sourceKind: 'markdown', text, fileName: 'price-list.md' }]);
  });

  it('reads a chosen .txt file as text', async () => {
    const { user } = await openKnowledge();
    await user.upload(screen.getByLabelText('Choose a file'), new File(['Open 9 to 5.'], 'hours.txt', { type: 'text/plain' }));
    await waitFor(() => expect((screen.getByLabelText('Text') as HTMLTextAreaElement).value).toBe('Open 9 to 5.'));
    expect((screen.getByLabelText('Kind') as HTMLSelectElement).value).toBe('text');
  });

  it('uploads a chosen PDF as it is, with its title and file name, instead of text', async () => {
    const docs: KnowledgeDocument[] = [];
    const { api, user } = await openKnowledge({
      [`GET ${KNOWLEDGE}`]: () => ({ body: { items: docs } }),
      [`POST ${KNOWLEDGE}/pdf`]: (call) => {
        docs.unshift(document('d1', { title: call.query.get('title') ?? '', sourceKind: 'pdf', fileName: call.query.get('fileName'), sizeBytes: 9, chunkCount: 2 }));
        return { status: 201, body: { document: docs[0], created: true } };
      },
    });
    const pdf = new File(['%PDF-1.4\n'], 'brochure.pdf', { type: 'application/pdf' });
    await user.upload(screen.getByLabelText('Choose a file'), pdf);
    expect((await screen.findByTestId('knowledge-file')).textContent).toContain('brochure.pdf · 9 B · PDF');
    expect(screen.queryByLabelText('Text')).toBeNull();
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('brochure');
    await user.click(screen.getByRole('button', { name: 'Add to knowledge' }));

    const row = await screen.findByTestId('document-d1');
    const [sent] = api.to(`POST ${KNOWLEDGE}/pdf`);
    expect(sent!.body).toBe(pdf);
    expect(sent!.headers['content-type']).toBe('application/pdf');
    expect(Object.fromEntries(sent!.query)).toEqual({ title: 'brochure', fileName: 'brochure.pdf' });
    expect(within(row).getAllByRole('cell')[1]!.textContent).toBe('PDF');
    // The form is ready for the next document, text first again.
    expect((screen.getByLabelText('Text') as HTMLTextAreaElement).value).toBe('');
  });

  it('shows why the API refused a PDF next to the file', async () => {
    const detail = 'This PDF has no text to extract (scanned pages are images: run them through OCR first)';
    const { user } = await openKnowledge({
      ...knowledgeBase(),
      [`POST ${KNOWLEDGE}/pdf`]: () => ({ status: 422, body: { type: 'about:blank', title: 'Unprocessable Entity', status: 422, detail, errors: [{ path: 'body', message: detail }] } }),
    });
    await user.upload(screen.getByLabelText('Choose a file'), new File(['%PDF-1.4\n'], 'scan.pdf', { type: 'application/pdf' }));
    await user.click(await screen.findByRole('button', { name: 'Add to knowledge' }));
    expect((await screen.findByText(detail)).getAttribute('role')).toBe('alert');
  });

  it('refuses a file that is not .txt, .md or .pdf, saying why', async () => {
    const { api } = await openKnowledge();
    fireEvent.drop(screen.getByTestId('knowledge-dropzone'), { dataTransfer: { files: [new File(['PK'], 'brochure.docx', { type: 'application/octet-stream' })] } });
    expect((await screen.findByRole('alert')).textContent).toBe('“brochure.docx” cannot be added: choose a .txt, .md or .pdf file, or paste its text.');
    expect((screen.getByLabelText('Text') as HTMLTextAreaElement).value).toBe('');
    expect(api.to(`POST ${KNOWLEDGE}`)).toHaveLength(0);
  });

  it('says when the same text is already in the knowledge base', async () => {
    const { api, user } = await openKnowledge();
    const add = async (title: string) => {
      await user.type(screen.getByLabelText('Title'), title);
      await user.click(screen.getByLabelText('Text'));
      await user.paste('Open 9 to 5.');
      await user.click(screen.getByRole('button', { name: 'Add to knowledge' }));
    };
    await add('Hours');
    await screen.findByTestId('document-d1');
    await add('Hours again');

    expect((await screen.findByText(/^Duplicate:/)).textContent).toBe('Duplicate: this text is already in the knowledge base (as “Hours”).');
    expect(api.to(`POST ${KNOWLEDGE}`)).toHaveLength(2);
    expect(screen.getAllByTestId(/^document-/)).toHaveLength(1);
  });

  it('previews a document’s chunks and deletes it after confirmation', async () => {
    const docs = [document('d1', { title: 'Prices' })];
    const { api, user } = await openKnowledge({
      [`GET ${KNOWLEDGE}`]: () => ({ body: { items: docs } }),
      [`GET ${KNOWLEDGE}/d1/chunks`]: () => ({ body: { items: [{ id: 'c1', position: 0, heading: 'Prices > Albums', content: 'Albums start at 900.' }] } }),
      [`DELETE ${KNOWLEDGE}/d1`]: () => {
        docs.length = 0;
        return { status: 204 };
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Show chunks of Prices' }));
    const chunks = await screen.findByRole('list', { name: 'Chunks' });
    expect(within(chunks).getByText('Prices > Albums')).toBeTruthy();
    expect(within(chunks).getByText('Albums start at 900.')).toBeTruthy();
    await user.click(within(screen.getByRole('dialog', { name: 'Chunks of Prices' })).getByRole('button', { name: 'Close' }));

    await user.click(screen.getByRole('button', { name: 'Delete Prices' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Delete document' })).getByRole('button', { name: 'Delete' }));
    expect((await screen.findByTestId('empty-state')).textContent).toContain('No knowledge yet');
    expect(api.to(`DELETE ${KNOWLEDGE}/d1`)).toHaveLength(1);
  });
});

describe('the retrieval test', () => {
  it('shows the chunks the bot would read, with heading, excerpt and score', async () => {
    const api = mockApi({
      [`GET ${BOT}`]: () => ({ body: bot() }),
      [`POST ${KNOWLEDGE}/search`]: () => ({
        body: {
          items: [
            retrieved('c1', { title: 'Travel FAQ', heading: 'Do you travel?', content: 'Yes, anywhere in the state.', score: 0.8123 }),
            retrieved('c2', { title: 'Prices', heading: null, content: 'x'.repeat(600), score: 0.2 }),
          ],
        },
      }),
    });
    const { user } = renderPage(<BotPage orgId={ORG_ID} membership={membership('viewer')} botId={BOT_ID} />);
    await user.click(await screen.findByRole('tab', { name: 'Test retrieval' }));
    await user.type(screen.getByLabelText('Ask something your contacts would ask'), 'will you come to my wedding abroad');
    await user.click(screen.getByRole('button', { name: 'Search knowledge' }));

    const first = await screen.findByTestId('result-c1');
    expect(api.to(`POST ${KNOWLEDGE}/search`).map((c) => c.body)).toEqual([{ query: 'will you come to my wedding abroad' }]);
    expect(within(first).getByText('Do you travel?')).toBeTruthy();
    expect(within(first).getByText('Travel FAQ')).toBeTruthy();
    expect(within(first).getByText('Yes, anywhere in the state.')).toBeTruthy();
    expect(within(first).getByText('score 0.812')).toBeTruthy();
    const second = screen.getByTestId('result-c2');
    expect(within(second).getByText('Prices')).toBeTruthy();
    expect(within(second).getByText(/^x+…$/).textContent).toHaveLength(401);
  });

  it('says when nothing matches', async () => {
    mockApi({ [`GET ${BOT}`]: () => ({ body: bot() }), [`POST ${KNOWLEDGE}/search`]: () => ({ body: { items: [] } }) });
    const { user } = renderPage(<BotPage orgId={ORG_ID} membership={membership('bot_trainer')} botId={BOT_ID} />);
    await user.click(await screen.findByRole('tab', { name: 'Test retrieval' }));
    await user.type(screen.getByLabelText('Ask something your contacts would ask'), 'parking?');
    await user.click(screen.getByRole('button', { name: 'Search knowledge' }));
    expect((await screen.findByTestId('empty-state')).textContent).toContain('Nothing in the knowledge base matches');
  });
});
