/*
 * GHL credentials as sealed in `integrations.credentials`. Only server code opens them (the API
 * for a connection test, activities when they call GHL); workflow inputs and results carry the
 * integration id, never a token, so Temporal histories hold no secret.
 */
export type GhlCredentials =
  | { kind: 'private_token'; accessToken: string }
  | {
      kind: 'oauth';
      accessToken: string;
      /** GHL rotates it on every refresh: the newest one is the only one that works. */
      refreshToken: string;
      /** ISO time the access token expires. */
      expiresAt: string;
      scope?: string;
      userType?: string;
    };
