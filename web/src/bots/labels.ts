import type { BotChannel, BotMode, BotTool, KnowledgeDocument } from '../api/bots';

export const MODES: Record<BotMode, { label: string; explanation: string }> = {
  off: { label: 'Off', explanation: 'The bot does nothing: conversations are left to your team.' },
  suggest: { label: 'Suggest', explanation: 'The bot drafts replies; a person approves each one before it is sent.' },
  auto: { label: 'Automatic', explanation: 'The bot replies by itself, within the guardrails below.' },
};

export const CHANNELS: Record<BotChannel, string> = {
  sms: 'SMS',
  email: 'Email',
  web: 'Web chat',
  facebook: 'Facebook',
  instagram: 'Instagram',
  whatsapp: 'WhatsApp',
  live_chat: 'Live chat',
  gmb: 'Google Business',
};

export const TOOLS: Record<BotTool, string> = {
  add_tag: 'Add a tag',
  update_contact_field: 'Update a contact field',
  find_free_slots: 'Find free slots',
  book_appointment: 'Book an appointment',
  handoff_to_human: 'Hand off to a person',
  end_conversation: 'End the conversation',
};

export const KINDS: Record<KnowledgeDocument['sourceKind'], string> = {
  text: 'Text',
  markdown: 'Markdown',
  faq: 'FAQ',
  pdf: 'PDF',
};

export const PLATFORM_MODEL = 'Platform default model (the sandbox model when running with npm start)';

export const modelLabel = (model: string | null) => model ?? PLATFORM_MODEL;

/** Sizes as people read them: 512 B, 1.5 KB, 2.1 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
