import { z } from 'zod';

// Field schemas shared by request bodies; the same objects feed the OpenAPI document.
export const emailField = z.string().trim().toLowerCase().max(254).pipe(z.email('Enter a valid email address'));
export const passwordField = z.string().min(10, 'Use at least 10 characters').max(200, 'Use at most 200 characters');
export const nameField = z.string().trim().min(1, 'Required').max(200, 'Use at most 200 characters');

export const sessionSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  tokenType: z.literal('bearer'),
  expiresIn: z.number().int(),
  expiresAt: z.number().int(),
});

export const userSchema = z.object({ id: z.uuid(), email: z.string(), fullName: z.string().nullable() });

/** `?limit=&cursor=` for keyset-paginated lists. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
};
