import type { Hono } from 'hono';

import { startTestPlatform, type TestPlatform } from '../../e2e/platform-harness.js';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../store/temporary-database.js';

/** A platform on loopback with its own SQLite database, for the API contract suites. */
export interface ApiTestPlatform {
  test: TestPlatform;
  close(): Promise<void>;
}

export async function startApiTestPlatform(env: Record<string, string> = {}): Promise<ApiTestPlatform> {
  const database: TemporaryDatabase = await createTemporaryDatabase('sqlite');
  const test = await startTestPlatform({ store: database.options, env });
  return {
    test,
    async close() {
      await test.close();
      await database.dispose();
    },
  };
}

/**
 * Lists the handlers an app registers as `METHOD /path/{param}`, in the document's template
 * syntax. Entries of method ALL are middleware added with `app.use`, which this codebase uses
 * for nothing else, so they are left out.
 */
export function registeredRoutes(app: Hono<any>): string[] {
  const routes = new Set<string>();
  for (const route of app.routes) {
    if (route.method === 'ALL') continue;
    const template = route.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}').replace(/(.)\/+$/, '$1');
    routes.add(`${route.method} ${template}`);
  }
  return [...routes].sort();
}
