import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runStream, type RunOptions } from './run-stream.js';
import { startProductsApi, writeProductsConnector, type ProductsApi } from './test-support/products-api.js';

// runStream through @lumio/platform's runtime against a products API on 127.0.0.1.

/** Records whose modification time is at `updatedAt`, while the manifest's cursorField is `updated_at`. */
const CAMEL_CASE_RECORDS = [
  { id: 'p1', title: 'Caneca', price: '39.90', updatedAt: '2025-03-01T10:00:00Z' },
  { id: 'p2', title: 'Camiseta', price: 'R$ 59,90', updatedAt: '2025-03-02T10:00:00Z' },
  { id: 'p3', title: 'Boné', price: '49.90', updatedAt: '2025-03-03T10:00:00Z' },
  { id: 'p4', title: 'Mochila', price: 'sob consulta', updatedAt: '2025-03-04T10:00:00Z' },
  { id: 'p5', title: 'Garrafa', price: '29.90', updatedAt: '2025-03-05T10:00:00Z' },
];

const SNAKE_CASE_RECORDS = CAMEL_CASE_RECORDS.map(({ updatedAt, price, ...record }) => ({ ...record, price: price.replace(/[^0-9.]/g, '') || null, updated_at: updatedAt }));

let workspace: string;
let api: ProductsApi | undefined;

beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'lumio-run-stream-'));
});

afterEach(async () => {
  await api?.close();
  api = undefined;
  await rm(workspace, { recursive: true, force: true });
});

async function run(records: readonly object[], options: Partial<RunOptions> = {}) {
  api = await startProductsApi(records);
  const { directory, connectionFile } = await writeProductsConnector(workspace, api.url);
  const lines: string[] = [];
  const summary = await runStream({
    directory,
    connectionFile,
    object: 'products',
    mode: 'full',
    limit: 0,
    raw: false,
    logLevel: 'silent',
    out: (line) => lines.push(line),
    ...options,
  });
  return { summary, lines };
}

describe('runStream cursor warning', () => {
  it('warns once when no record has the cursor', async () => {
    const { summary, lines } = await run(CAMEL_CASE_RECORDS);
    const warnings = lines.filter((line) => line.startsWith('warning:'));

    expect(api?.requests).toHaveLength(3);
    expect(summary.missingCursor).toBe(true);
    expect(warnings).toEqual([
      'warning: none of the 5 records read gave a cursor at incremental.cursorField "updated_at" of "products", so the runtime ' +
        'saves no new cursor and every incremental run will re-read every record. Check that cursorField is the dot path of the ' +
        'modification time in the printed records (run with --raw to see them) and that cursorFormat "iso8601" matches its values.',
    ]);
  });

  it('warns for a saved cursor too', async () => {
    const stateFile = join(workspace, 'state.json');
    await run(SNAKE_CASE_RECORDS, { stateFile });
    const saved = JSON.parse(await readFile(stateFile, 'utf8'));
    await api?.close();

    const { summary } = await run(CAMEL_CASE_RECORDS, { stateFile, mode: 'incremental' });

    expect(saved.cursor).toBe('2025-03-05T10:00:00Z');
    expect(summary.missingCursor).toBe(true);
  });

  it('stays quiet when records have it', async () => {
    const stateFile = join(workspace, 'state.json');
    const { summary, lines } = await run(SNAKE_CASE_RECORDS, { stateFile });

    expect(summary.missingCursor).toBe(false);
    expect(lines.filter((line) => line.startsWith('warning:'))).toEqual([]);
    expect(JSON.parse(await readFile(stateFile, 'utf8')).cursor).toBe('2025-03-05T10:00:00Z');
  });

  it('stays quiet without records', async () => {
    const { summary, lines } = await run([]);

    expect(summary.records).toBe(0);
    expect(summary.missingCursor).toBe(false);
    expect(lines.some((line) => line.startsWith('warning:'))).toBe(false);
  });

  it('warns for unusable cursor values', async () => {
    const records = SNAKE_CASE_RECORDS.map((record) => ({ ...record, updated_at: 'yesterday' }));

    const { summary } = await run(records);

    expect(summary.missingCursor).toBe(true);
  });
});

describe('runStream mapping errors', () => {
  it('counts records with mapping errors', async () => {
    const { summary, lines } = await run(CAMEL_CASE_RECORDS);

    expect(summary).toEqual({ records: 5, printed: 5, requests: 3, recordsWithMappingErrors: 2, missingCursor: true });
    expect(lines.filter((line) => line.startsWith('    mapping error at price:'))).toHaveLength(2);
    expect(lines.at(-1)).toBe(
      'Mapping errors in 2 records of the 5 read: the "mapping error at" lines under the printed records name each target and problem; ' +
        'fix those rules of the default mapping in manifest.json.',
    );
  });

  it('counts records past the limit', async () => {
    const { summary, lines } = await run(CAMEL_CASE_RECORDS, { limit: 1 });

    expect(summary).toMatchObject({ records: 2, printed: 1, recordsWithMappingErrors: 1 });
    expect(lines.filter((line) => line.startsWith('    mapping error at'))).toEqual([]);
    expect(lines.at(-1)).toContain('Mapping errors in 1 record of the 2 read');
  });

  it('prints no summary without errors', async () => {
    const { summary, lines } = await run(SNAKE_CASE_RECORDS);

    expect(summary.recordsWithMappingErrors).toBe(0);
    expect(lines.some((line) => line.startsWith('Mapping errors'))).toBe(false);
    expect(lines.at(-1)).toBe('Read 5 records of "products" (full) with 3 requests.');
  });
});
