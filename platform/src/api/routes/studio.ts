import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Hono, type Context } from 'hono';

/** Where `npm run build:studio` writes the studio (studio/vite.config.ts sets the same folder). */
export const DEFAULT_STUDIO_DIR = fileURLToPath(new URL('../../../../studio/dist/', import.meta.url));

export interface StudioRouteOptions {
  /** Folder with the built studio: index.html and assets/. Default: studio/dist in this checkout. */
  distDir?: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// Vite names every file under assets/ after a hash of its content, so a browser may keep it
// for a year. index.html names the current hashes, so it is revalidated on every load.
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
const SHORT = 'public, max-age=3600';

// The studio loads nothing from other origins; React Flow positions nodes with inline styles.
const HTML_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

/**
 * Serves the built studio under `/studio`: its files with their content types and caching,
 * and index.html for every other path, so the studio's own routes such as
 * /studio/integrations/hubspot load the app. A missing file under /studio/assets/ is a 404,
 * because answering a script request with HTML would only hide a stale page. Before the studio
 * is built, every path returns a 503 page saying how to build it.
 */
export function studioRoutes(options: StudioRouteOptions = {}): Hono {
  const root = resolve(options.distDir ?? DEFAULT_STUDIO_DIR);
  const app = new Hono();

  app.get('*', async (c) => {
    const relative = c.req.path.replace(/^\/studio\/?/, '');
    const index = await readStudioFile(root, 'index.html');
    if (!index) return notBuilt(c);

    const segments = splitPath(relative);
    if (segments === null) return c.text('Not found', 404);

    if (segments.length > 0) {
      const file = await readStudioFile(root, segments.join('/'));
      if (file) {
        const isAsset = segments[0] === 'assets';
        return sendFile(c, file, segments.at(-1) as string, isAsset ? IMMUTABLE : SHORT);
      }
      if (segments[0] === 'assets') return c.text('Not found', 404, { 'cache-control': 'no-store' });
    }

    return sendFile(c, index, 'index.html', REVALIDATE);
  });

  return app;
}

interface StudioFile {
  body: Buffer;
  etag: string;
}

/** Reads a file inside `root`, or returns null when it is absent or not a regular file. */
async function readStudioFile(root: string, relative: string): Promise<StudioFile | null> {
  const path = resolve(root, relative);
  if (path !== root && !path.startsWith(root + sep)) return null;
  try {
    const info = await stat(path);
    if (!info.isFile()) return null;
    return { body: await readFile(path), etag: `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"` };
  } catch {
    return null;
  }
}

/** Splits a request path into decoded segments, or returns null for "..", "." or a NUL byte. */
function splitPath(path: string): string[] | null {
  const segments: string[] = [];
  for (const raw of path.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '..' || segment === '.' || segment.includes('\0') || segment.includes('/') || segment.includes('\\')) return null;
    segments.push(segment);
  }
  return segments;
}

function sendFile(c: Context, file: StudioFile, name: string, cacheControl: string): Response {
  const type = CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
  const headers: Record<string, string> = { 'content-type': type, 'cache-control': cacheControl, etag: file.etag, 'x-content-type-options': 'nosniff' };
  if (type.startsWith('text/html')) Object.assign(headers, HTML_SECURITY_HEADERS);

  if (c.req.header('if-none-match') === file.etag) return c.body(null, 304, headers);
  return c.body(new Uint8Array(file.body), 200, headers);
}

function notBuilt(c: Context): Response {
  const page = `<!doctype html>
<html lang="pt-BR">
<head><meta charset="utf-8"><title>Lumio Studio</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>O Studio ainda não foi compilado</h1>
<p>Rode <code>npm run build:studio</code> na pasta do projeto e recarregue esta página.</p>
<hr>
<h1 lang="en">The studio has not been built</h1>
<p lang="en">Run <code>npm run build:studio</code> in the project folder and reload this page.</p>
</body>
</html>
`;
  return c.html(page, 503, { 'cache-control': 'no-store', ...HTML_SECURITY_HEADERS });
}
