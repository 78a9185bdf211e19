import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { studioRoutes } from '../../platform/src/api/routes/studio.js';

const INDEX = '<!doctype html><title>studio</title><script type="module" src="/studio/assets/app-abc123.js"></script>';

describe('studio route', () => {
  let dist: string;
  let empty: string;
  let app: Hono;

  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), 'lumio-studio-dist-'));
    empty = await mkdtemp(join(tmpdir(), 'lumio-studio-empty-'));
    await mkdir(join(dist, 'assets'));
    await writeFile(join(dist, 'index.html'), INDEX);
    await writeFile(join(dist, 'assets', 'app-abc123.js'), 'console.log("studio");');
    await writeFile(join(dist, 'assets', 'app-abc123.css'), 'body{}');
    await writeFile(join(dist, 'robots.txt'), 'User-agent: *');
    await writeFile(join(tmpdir(), 'lumio-studio-secret.txt'), 'secret');

    app = new Hono();
    app.route('/studio', studioRoutes({ distDir: dist }));
    app.route('/unbuilt', studioRoutes({ distDir: empty }));
  });

  afterAll(async () => {
    await rm(dist, { recursive: true, force: true });
    await rm(empty, { recursive: true, force: true });
    await rm(join(tmpdir(), 'lumio-studio-secret.txt'), { force: true });
  });

  it('serves index.html at /studio/', async () => {
    const response = await app.request('/studio/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await response.text()).toBe(INDEX);
  });

  it('serves index.html at /studio', async () => {
    const response = await app.request('/studio');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(INDEX);
  });

  it('serves client routes as index.html', async () => {
    const response = await app.request('/studio/integrations/hubspot/mappings/contacts');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(INDEX);
  });

  it('serves hashed assets for a year', async () => {
    const script = await app.request('/studio/assets/app-abc123.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await script.text()).toBe('console.log("studio");');

    const style = await app.request('/studio/assets/app-abc123.css');
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('serves other files for an hour', async () => {
    const response = await app.request('/studio/robots.txt');
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
  });

  it('answers 404 for a missing asset', async () => {
    const response = await app.request('/studio/assets/missing-000.js');
    expect(response.status).toBe(404);
  });

  it('answers 304 for a known etag', async () => {
    const first = await app.request('/studio/assets/app-abc123.js');
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^W\/"/);
    const second = await app.request('/studio/assets/app-abc123.js', { headers: { 'if-none-match': etag } });
    expect(second.status).toBe(304);
  });

  it('rejects path traversal', async () => {
    for (const path of ['/studio/..%2Flumio-studio-secret.txt', '/studio/assets/..%2F..%2Flumio-studio-secret.txt', '/studio/%2e%2e/lumio-studio-secret.txt']) {
      const response = await app.request(path);
      expect(await response.text(), path).not.toContain('secret');
    }
  });

  it('explains an unbuilt studio', async () => {
    const response = await app.request('/unbuilt/integrations');
    expect(response.status).toBe(503);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const page = await response.text();
    expect(page).toContain('npm run build:studio');
    expect(page).toContain('O Studio ainda não foi compilado');
    expect(page).toContain('The studio has not been built');
  });
});
