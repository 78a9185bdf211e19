import { Hono } from 'hono';

import type { OpenApiDocument } from './document.js';
import { renderReferencePage, type ReferencePage } from './reference/reference-page.js';

/**
 * `GET /openapi.json` and `GET /docs`, mounted under `/v1` ahead of authentication: the
 * contract is public. The page is rendered once, on its first request.
 */
export function referenceRoutes(document: OpenApiDocument, publicUrl: () => string): Hono {
  const app = new Hono();
  let page: ReferencePage | undefined;

  app.get('/openapi.json', (c) => {
    // The public URL is known only once the server listens, so `servers` is filled in per request.
    return c.json({ ...document, servers: [{ url: publicUrl().replace(/\/+$/, ''), description: 'This platform' }] }, 200, { 'cache-control': 'no-cache' });
  });

  app.get('/docs', (c) => {
    page ??= renderReferencePage(document);
    return c.html(page.html, 200, { 'content-security-policy': page.contentSecurityPolicy, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
  });

  return app;
}
