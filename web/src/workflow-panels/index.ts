// Panels the workflow editor embeds.
export { VersionsPanel, type VersionsPanelProps } from './VersionsPanel';
export { WebhookPanel, type WebhookPanelProps } from './WebhookPanel';
