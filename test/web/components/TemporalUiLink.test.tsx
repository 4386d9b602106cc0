/** @jest-environment jsdom */
import { screen, waitFor } from '@testing-library/react';
import { TemporalUiLink } from '../../../web/src/components/TemporalUiLink';
import { mockApi, renderPage, setUpBrowser } from '../commissions/harness';

jest.mock('../../../web/src/components/components.css', () => ({}));

describe('links into the Temporal UI', () => {
  it('open a codec session with the signed-in person’s token, and open the UI in a new tab', async () => {
    setUpBrowser();
    const api = mockApi({ 'POST /codec/session': () => ({ status: 204 }) });
    const { user } = renderPage(<TemporalUiLink href="http://localhost:8233/namespaces/default/workflows/flow:1">Open in Temporal UI</TemporalUiLink>);
    const link = screen.getByRole('link', { name: 'Open in Temporal UI' });
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toContain('noopener');
    link.addEventListener('click', (e) => e.preventDefault()); // jsdom does not navigate
    await user.click(link);
    await waitFor(() => expect(api.to('POST /codec/session')).toHaveLength(1));
    expect(api.to('POST /codec/session')[0]!.headers.authorization).toBe('Bearer test-token');
  });

  it('open the UI without a session when signed out, and never send anyone to the login page', async () => {
    localStorage.clear();
    const api = mockApi({});
    const before = window.location.pathname;
    const { user } = renderPage(<TemporalUiLink href="http://localhost:8233">Open the Temporal UI</TemporalUiLink>);
    const link = screen.getByRole('link', { name: 'Open the Temporal UI' });
    link.addEventListener('click', (e) => e.preventDefault());
    await user.click(link);
    expect(api.to('POST /codec/session')).toHaveLength(0);
    expect(window.location.pathname).toBe(before);
  });
});
