import path from 'node:path';
import express, { Router } from 'express';
import { buildOpenApiDocument, type OperationDoc } from '../openapi';

const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));

// Swagger UI's own assets, pointed at our generated document.
const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Flowline API</title>
  <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css" />
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/api/docs/init.js"></script>
</body>
</html>`;

const INIT_SCRIPT = `window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#swagger-ui' });`;

export function docsRoutes(operations: OperationDoc[], version: string): Router {
  const document = buildOpenApiDocument(operations, version);
  const router = Router();
  router.get('/api/v1/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.use('/api/docs/assets', express.static(SWAGGER_UI_DIR, { index: false }));
  // A separate script file rather than inline code, so a strict CSP can forbid inline scripts.
  router.get('/api/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT_SCRIPT);
  });
  router.get('/api/docs', (_req, res) => {
    res.type('html').send(DOCS_PAGE);
  });
  return router;
}
