import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { silentLogger } from '../observability/index.js';
import { loadConnectorRegistry, type ConnectorRegistry } from './registry.js';

const EXAMPLE = fileURLToPath(new URL('../../../connectors/example-tasks', import.meta.url));

describe('connector registry: id and folder name', () => {
  let root: string;
  let registry: ConnectorRegistry;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lumio-registry-'));
    // The example connector, copied under a folder name that differs from its manifest id.
    await cp(EXAMPLE, join(root, 'tasks-renamed'), { recursive: true });
    const manifest = JSON.parse(await readFile(join(root, 'tasks-renamed', 'manifest.json'), 'utf8')) as { id: string };
    expect(manifest.id).toBe('example-tasks');
    registry = await loadConnectorRegistry(root, silentLogger);
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('rejects an id that differs from its folder', () => {
    const rejected = registry.findRejected('example-tasks');

    expect(registry.get('example-tasks')).toBeUndefined();
    expect(rejected?.issues).toEqual([
      {
        pointer: '/id',
        keyword: 'file:folderName',
        message:
          'The manifest id "example-tasks" must match its folder name "tasks-renamed", or the platform will not load the connector; ' +
          'rename the folder to "example-tasks", or, if no connection uses this connector yet, change the id to "tasks-renamed".',
      },
    ]);
  });

  it('finds the rejection by folder name', () => {
    // Connections made before the id changed name the folder.
    expect(registry.findRejected('tasks-renamed')).toBe(registry.findRejected('example-tasks'));
    expect(registry.findRejected('unrelated')).toBeUndefined();
  });
});
