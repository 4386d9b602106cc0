import type { KeyRing } from '../../db/secrets';

/** What the API needs to talk to GoHighLevel and keep its secrets. */
export interface GhlSettings {
  /** Seals credentials; without it no location can be connected (the API says so). */
  keyRing: KeyRing | undefined;
  baseUrl: string;
  oauth: { clientId: string; clientSecret: string; authorizeUrl: string } | undefined;
  webhookKeys: { ed25519PublicKeyPem?: string; rsaPublicKeyPem?: string };
  /** A sandbox location members may connect in one click (a fake GHL in development). */
  sandbox?: { locationId: string; companyId?: string; token: string };
}

export const DEFAULT_GHL_SETTINGS: GhlSettings = {
  keyRing: undefined,
  baseUrl: 'https://services.leadconnectorhq.com',
  oauth: undefined,
  webhookKeys: {},
};
