import { createHash } from 'node:crypto';

import type { Hono } from 'hono';
import { afterAll, describe, expect, it, vi } from 'vitest';

import type * as ApiApp from '../../platform/src/api/app.js';
import { buildOpenApiDocument, HTTP_METHODS } from '../../platform/src/api/openapi/index.js';
import { registeredRoutes, startApiTestPlatform } from './support/api-platform.js';

// Keeps the application the real platform builds, so the test walks the routes it serves.
const captured = vi.hoisted(() => ({ apps: [] as Hono<any>[] }));
vi.mock('../../platform/src/api/app.js', async (importOriginal) => {
  const actual = await importOriginal<typeof ApiApp>();
  return {
    ...actual,
    createApiApp: (...args: Parameters<typeof actual.createApiApp>) => {
      const app = actual.createApiApp(...args);
      captured.apps.push(app);
      return app;
    },
  };
});

/** Routes that are not part of the API: the studio's web pages. */
const NOT_API = (route: string) => / \/studio(\/|$)/.test(route);

const document = buildOpenApiDocument();
const documented = Object.entries(document.paths).flatMap(([path, item]) => HTTP_METHODS.filter((method) => item[method]).map((method) => `${method.toUpperCase()} ${path}`));

// The platform starts before the tests are collected, so each route gets a test of its own.
const platform = await startApiTestPlatform();
const app = captured.apps.at(-1);
const registered = app ? registeredRoutes(app).filter((route) => !NOT_API(route)) : [];

afterAll(async () => {
  await platform.close();
});

describe('OpenAPI coverage', () => {
  it('captures the running application', () => {
    expect(captured.apps.length).toBeGreaterThan(0);
    expect(registered.length).toBeGreaterThan(40);
  });

  describe('registered route is documented', () => {
    it.each(registered)('%s', (route) => {
      expect(documented).toContain(route);
    });
  });

  describe('documented route is registered', () => {
    it.each(documented)('%s', (route) => {
      expect(registered).toContain(route);
    });
  });
});

describe('reference endpoints', () => {
  it('serves the document without authentication', async () => {
    const response = await fetch(`${platform.test.url}/v1/openapi.json`);
    const served = (await response.json()) as any;

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(served.servers).toEqual([{ url: platform.test.url, description: 'This platform' }]);
    expect({ ...served, servers: undefined }).toEqual(JSON.parse(JSON.stringify({ ...document, servers: undefined })));
  });

  it('renders every operation on the page', async () => {
    const response = await fetch(`${platform.test.url}/v1/docs`);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    for (const route of documented) {
      const [method, path] = route.split(' ') as [string, string];
      const operationId = (document.paths[path] as any)[method.toLowerCase()].operationId;
      expect(html, route).toContain(`id="${operationId}"`);
      expect(html, route).toContain(`<code class="path">${path}</code>`);
    }
    for (const name of Object.keys(document.components.schemas)) expect(html).toContain(`id="schema-${name}"`);
  });

  it('keeps the page self-contained', async () => {
    const response = await fetch(`${platform.test.url}/v1/docs`);
    const html = await response.text();
    const policy = response.headers.get('content-security-policy') ?? '';

    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(policy).toContain("default-src 'none'");

    // The policy allows the inline style by its hash, computed here independently.
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(policy).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
  });
});
