import { z } from 'zod';

/**
 * Every documented operation is declared once, next to its route, with zod schemas; the
 * OpenAPI document is generated from those declarations, so docs cannot drift from validation.
 */
export interface OperationDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path syntax: /api/v1/orgs/{orgId} */
  path: string;
  summary: string;
  tags: string[];
  requestBody?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  parameters?: { name: string; in: 'path' | 'query'; required: boolean }[];
  security?: Record<string, string[]>[];
  /** The organization permission the caller needs (resource:action), shown in the docs. */
  permission?: string;
}

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

function content(schema: z.ZodType, mediaType = 'application/json') {
  return { [mediaType]: { schema: z.toJSONSchema(schema, { unrepresentable: 'any' }) } };
}

export function buildOpenApiDocument(operations: OperationDoc[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const responses = Object.fromEntries(
      Object.entries(op.responses).map(([status, r]) => [
        status,
        {
          description: r.description,
          ...(r.schema ? { content: content(r.schema, Number(status) >= 400 && r.schema === problemSchema ? 'application/problem+json' : 'application/json') } : {}),
        },
      ]),
    );
    paths[op.path] = {
      ...paths[op.path],
      [op.method]: {
        summary: op.summary,
        ...(op.permission ? { description: `Requires the \`${op.permission}\` permission in the organization.` } : {}),
        tags: op.tags,
        ...(op.parameters?.length
          ? { parameters: op.parameters.map((p) => ({ ...p, schema: { type: 'string' } })) }
          : {}),
        ...(op.security ? { security: op.security } : {}),
        ...(op.requestBody ? { requestBody: { required: true, content: content(op.requestBody) } } : {}),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Flowline API', version, description: 'Errors are application/problem+json (RFC 9457).' },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
