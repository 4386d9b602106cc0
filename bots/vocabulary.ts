/*
 * The names bots share across the database checks, the API, the worker and the web app: the
 * channels a bot talks on, the tools its model may call, and the GHL contact fields it may write.
 * Pure constants, so the browser and workflow code import them too.
 */

export const CHANNELS = ['sms', 'email', 'web', 'facebook', 'instagram', 'whatsapp', 'live_chat', 'gmb'] as const;
export type Channel = (typeof CHANNELS)[number];

export const BOT_TOOLS = ['add_tag', 'update_contact_field', 'find_free_slots', 'book_appointment', 'handoff_to_human', 'end_conversation'] as const;
export type BotToolName = (typeof BOT_TOOLS)[number];

export const CONTACT_FIELDS = ['email', 'phone', 'firstName', 'lastName', 'companyName'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];
