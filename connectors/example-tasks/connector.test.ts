// Replays the Example Tasks connector's recorded fixtures offline with `lumio-connector test`
// and compares the mapped records with the snapshots. Until fixtures are recorded (with
// `lumio-connector record`) the test is skipped.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const CONNECTOR_DIR = dirname(fileURLToPath(import.meta.url));
const FIXTURES_DIR = join(CONNECTOR_DIR, 'fixtures');
const CLI = join(dirname(createRequire(import.meta.url).resolve('@lumio/plugin-sdk')), '..', 'bin', 'lumio-connector.js');
const RECORDED = existsSync(FIXTURES_DIR) && readdirSync(FIXTURES_DIR).some((name) => name.endsWith('.json'));

describe('example-tasks connector', () => {
  it.skipIf(!RECORDED)(RECORDED ? 'replays its fixtures' : 'replays its fixtures (skipped: none recorded yet)', () => {
    const result = spawnSync(process.execPath, [CLI, 'test', CONNECTOR_DIR], { encoding: 'utf8', timeout: 120_000 });

    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  }, 180_000);
});
