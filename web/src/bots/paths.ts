// Where the bot pages live: /orgs/:orgId/bots[/:botId] (org/sections.ts names the section).
export const botsPath = (orgId: string) => `/orgs/${encodeURIComponent(orgId)}/bots`;
export const botPath = (orgId: string, botId: string) => `${botsPath(orgId)}/${encodeURIComponent(botId)}`;
