import { describe, expect, it } from 'vitest';

import { loadConfig } from '../../platform/src/config/index.js';
import { checkConnectionConfig } from '../../platform/src/connections/index.js';
import { selectAuthMethod } from '../../platform/src/auth/index.js';
import { createHttpClient } from '../../platform/src/http/index.js';
import { applyMapping, compileMapping } from '../../platform/src/mapping/index.js';
import { createLogger, type Logger } from '../../platform/src/observability/index.js';
import { getPath, getRecordId } from '../../platform/src/runtime/index.js';
import { loadPluginBundle, readObjectPages, SandboxHost } from '../../platform/src/sandbox/index.js';
import { startSharedServices } from '../../platform/src/services/pipeline/index.js';
import { loadPlatformRuntime, type PlatformRuntime } from '../../plugin-sdk/src/authoring/index.js';

// The SDK describes the platform functions its commands call with its own types, because
// it cannot depend on @lumio/platform. This assignment makes the type checker compare
// them with the platform's real signatures; the test checks the loader finds them.
const fromPlatform: PlatformRuntime<Logger> = {
  loadConfig,
  createLogger,
  createHttpClient,
  startSharedServices,
  checkConnectionConfig,
  selectAuthMethod,
  loadPluginBundle,
  SandboxHost,
  readObjectPages,
  compileMapping,
  applyMapping,
  getRecordId,
  getPath,
};

describe('loadPlatformRuntime', () => {
  it('finds every function the commands call', async () => {
    const runtime = await loadPlatformRuntime();

    for (const [name, expected] of Object.entries(fromPlatform)) {
      const loaded = (runtime as unknown as Record<string, unknown>)[name];
      expect(typeof loaded, name).toBe('function');
      expect((loaded as { name: string }).name, name).toBe((expected as { name: string }).name);
    }
  });
});
