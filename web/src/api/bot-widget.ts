// A bot's web-chat widget settings as the web app reads them (api/routes/bot-widget.ts holds the
// zod schemas that are the source of truth).
import { api } from './client';
import { orgPath } from './orgs';

export interface WidgetSettings {
  enabled: boolean;
  /** The public key in the embed snippet; null until the widget is first enabled. */
  key: string | null;
  allowedOrigins: string[];
}

const widget = (orgId: string, botId: string) => `${orgPath(orgId)}/bots/${encodeURIComponent(botId)}/widget`;

export function getWidget(orgId: string, botId: string, signal?: AbortSignal): Promise<WidgetSettings> {
  return api('GET', widget(orgId, botId), { signal });
}

export function updateWidget(orgId: string, botId: string, changes: Partial<Pick<WidgetSettings, 'enabled' | 'allowedOrigins'>>): Promise<WidgetSettings> {
  return api('PATCH', widget(orgId, botId), { body: changes });
}

export function rotateWidgetKey(orgId: string, botId: string): Promise<WidgetSettings> {
  return api('POST', `${widget(orgId, botId)}/rotate-key`);
}

/** What a site owner pastes into their pages: the script adds a chat button and the widget's iframe. */
export const embedSnippet = (appOrigin: string, key: string) => `<script src="${appOrigin}/widget.js" data-key="${key}" async></script>`;
