import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runStream, type RunOptions } from './run-stream.js';
import { startProductsApi, writeProductsConnector, type ProductsApi, type ProductsConnectorOptions } from './test-support/products-api.js';

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

/** Marks the second record archived, so the first page of two records has one live and one deleted record. */
function archiveSecond(records: readonly object[]): object[] {
  return records.map((record, index) => ({ ...record, archived: index === 1 }));
}

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

async function run(records: readonly object[], options: Partial<RunOptions> = {}, connector: ProductsConnectorOptions = {}) {
  api = await startProductsApi(records);
  const { directory, connectionFile } = await writeProductsConnector(workspace, api.url, connector);
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
    expect(summary.emptySourcePaths).toEqual(['updated_at']);
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

describe('runStream cursor warning at --limit', () => {
  it('stays quiet inside a page', async () => {
    const { summary, lines } = await run(SNAKE_CASE_RECORDS, { limit: 1 });

    expect(summary).toMatchObject({ records: 2, printed: 1, missingCursor: false });
    expect(lines.filter((line) => line.startsWith('warning:'))).toEqual([]);
  });

  it('stays quiet inside a page with flagged deletions', async () => {
    const { summary, lines } = await run(archiveSecond(SNAKE_CASE_RECORDS), { limit: 1 }, { flagDeletions: true });

    expect(lines).toContain('list: 1 record');
    expect(lines).toContain('Stopped after 1 record (--limit 1); the stream may have more.');
    expect(summary.missingCursor).toBe(false);
    expect(lines.filter((line) => line.startsWith('warning:'))).toEqual([]);
  });

  it('stays quiet with a plugin', async () => {
    const { summary, lines } = await run(archiveSecond(SNAKE_CASE_RECORDS), { limit: 1 }, { flagDeletions: true, plugin: true });

    expect(lines).toContain('list: 1 record');
    expect(summary.missingCursor).toBe(false);
    expect(lines.filter((line) => line.startsWith('warning:'))).toEqual([]);
  });

  it('warns when no record has it', async () => {
    const { summary, lines } = await run(archiveSecond(CAMEL_CASE_RECORDS), { limit: 1 }, { flagDeletions: true });

    expect(summary.missingCursor).toBe(true);
    expect(lines.filter((line) => line.startsWith('warning: none of the 1 record read gave a cursor'))).toHaveLength(1);
  });

  it('warns after the whole stream', async () => {
    const { summary, lines } = await run(archiveSecond(CAMEL_CASE_RECORDS), {}, { flagDeletions: true, plugin: true });

    expect(lines).toContain('list: 1 deleted record');
    expect(summary.missingCursor).toBe(true);
    expect(lines.filter((line) => line.startsWith('warning: none of the 5 records read gave a cursor'))).toHaveLength(1);
  });

  it('stays quiet past the split page', async () => {
    const { summary, lines } = await run(archiveSecond(SNAKE_CASE_RECORDS), { limit: 2 }, { flagDeletions: true, plugin: true });

    expect(lines).toContain('list: 1 deleted record');
    expect(summary.missingCursor).toBe(false);
  });
});

describe('runStream mapping errors', () => {
  it('counts records with mapping errors', async () => {
    const { summary, lines } = await run(CAMEL_CASE_RECORDS);

    expect(summary).toEqual({ records: 5, printed: 5, requests: 3, recordsWithMappingErrors: 2, missingCursor: true, emptySourcePaths: ['updated_at'] });
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

describe('runStream mapping sources', () => {
  /** Rules whose sources "sku_code" and "subtitle" no test record has, next to rules that must not warn. */
  const FIELDS_WITH_TYPOS: ProductsConnectorOptions = {
    extraProperties: { sku_code: { type: 'string' }, subtitle: { type: 'string' } },
    mappingFields: [
      { target: 'name', source: 'title' },
      { target: 'sku', source: 'sku_code' },
      { target: 'customFields.code', source: 'sku_code' },
      { target: 'description', sources: ['title', 'subtitle'], transforms: [{ type: 'concat', separator: ' ' }] },
      { target: 'price', source: 'price', transforms: [{ type: 'convert', to: 'number' }] },
      { target: 'currency', constant: 'BRL' },
    ],
  };

  it('warns once per empty source path', async () => {
    const { summary, lines } = await run(CAMEL_CASE_RECORDS, {}, FIELDS_WITH_TYPOS);

    expect(summary.emptySourcePaths).toEqual(['sku_code', 'subtitle']);
    expect(lines.filter((line) => line.startsWith('warning: mapping source'))).toEqual([
      'warning: mapping source "sku_code" (targets "sku", "customFields.code") of "products" was missing or null in all 5 records read. ' +
        'Check that the path matches a field of the records that --raw prints; if it has a typo, fix it in the mappings of manifest.json and in recordSchema.',
      'warning: mapping source "subtitle" (target "description") of "products" was missing or null in all 5 records read. ' +
        'Check that the path matches a field of the records that --raw prints; if it has a typo, fix it in the mappings of manifest.json and in recordSchema.',
    ]);
  });

  it('prints them before the error count', async () => {
    const { lines } = await run(CAMEL_CASE_RECORDS, {}, FIELDS_WITH_TYPOS);
    const tail = lines.slice(lines.indexOf('') + 1).map((line) => line.split(' ').slice(0, 4).join(' '));

    expect(tail).toEqual(['Read 5 records of', 'warning: none of the', 'warning: mapping source "sku_code"', 'warning: mapping source "subtitle"', 'Mapping errors in 2']);
  });

  it('reads records past the limit', async () => {
    const records = SNAKE_CASE_RECORDS.map((record, index) => ({ ...record, subtitle: index === 1 ? 'Azul' : null }));

    const { summary } = await run(records, { limit: 1 }, FIELDS_WITH_TYPOS);

    expect(summary.emptySourcePaths).toEqual(['sku_code']);
  });

  it('stays quiet for a value in one record', async () => {
    const records = SNAKE_CASE_RECORDS.map((record, index) => ({ ...record, sku_code: index === 4 ? 'GAR-01' : null, subtitle: index === 0 ? 'Azul' : undefined }));

    const { summary, lines } = await run(records, {}, FIELDS_WITH_TYPOS);

    expect(summary.emptySourcePaths).toEqual([]);
    expect(lines.some((line) => line.startsWith('warning:'))).toBe(false);
  });

  it('stays quiet without records', async () => {
    const { summary, lines } = await run([], {}, FIELDS_WITH_TYPOS);

    expect(summary.emptySourcePaths).toEqual([]);
    expect(lines.some((line) => line.startsWith('warning:'))).toBe(false);
  });

  describe('with array paths', () => {
    const ARRAY_FIELDS: ProductsConnectorOptions = {
      extraProperties: { images: { type: 'array', items: { type: 'object', properties: { url: { type: ['string', 'null'] } } } } },
      mappingFields: [
        { target: 'name', source: 'title' },
        { target: 'imageUrls', source: 'images[].url' },
        { target: 'url', source: 'images.0.url' },
      ],
    };

    it.each([
      ['no element has a url', [[{ url: null }], [], [{ url: null }, { url: null }]], ['images[].url', 'images.0.url']],
      ['a first element has one', [[{ url: null }], [{ url: 'https://cdn.test/boné.png' }]], []],
      ['a later element has one', [[{ url: null }, { url: 'https://cdn.test/caneca.png' }]], ['images.0.url']],
    ])('reads them when %s', async (_case, images, empty) => {
      const records = SNAKE_CASE_RECORDS.map((record, index) => ({ ...record, images: images[index] }));

      const { summary } = await run(records, {}, ARRAY_FIELDS);

      expect(summary.emptySourcePaths).toEqual(empty);
    });
  });
});

describe('runStream summary mode', () => {
  it('names a first incremental run full', async () => {
    const stateFile = join(workspace, 'state.json');

    const { lines } = await run(SNAKE_CASE_RECORDS, { mode: 'incremental', stateFile });

    expect(lines).toContain(`Read 5 records of "products" (full, because no cursor was saved in ${stateFile} yet) with 3 requests.`);
    expect(JSON.parse(await readFile(stateFile, 'utf8')).mode).toBe('full');
  });

  it('names a later one incremental', async () => {
    const stateFile = join(workspace, 'state.json');
    await run(SNAKE_CASE_RECORDS, { stateFile });
    await api?.close();

    const { lines } = await run(SNAKE_CASE_RECORDS, { mode: 'incremental', stateFile });

    expect(lines).toContain('Read 5 records of "products" (incremental) with 3 requests.');
  });

  it('names the missing --state', async () => {
    const { lines } = await run(SNAKE_CASE_RECORDS, { mode: 'incremental' });

    expect(lines).toContain('Read 5 records of "products" (full, because --mode incremental needs a cursor saved with --state) with 3 requests.');
  });

  it("names another object's state", async () => {
    const stateFile = join(workspace, 'state.json');
    await writeFile(stateFile, JSON.stringify({ version: 1, object: 'orders', mode: 'full', phase: 'done', position: null, cursor: '2025-03-05T10:00:00Z' }));

    const { lines } = await run(SNAKE_CASE_RECORDS, { mode: 'incremental', stateFile });

    expect(lines).toContain(`Read 5 records of "products" (full, because ${stateFile} contains the state of "orders") with 3 requests.`);
  });

  it('names a continued full run', async () => {
    const stateFile = join(workspace, 'state.json');
    await run(SNAKE_CASE_RECORDS, { stateFile, limit: 1 });
    await api?.close();

    const { lines } = await run(SNAKE_CASE_RECORDS, { mode: 'incremental', stateFile });

    expect(lines).toContain(`Read 3 records of "products" (full, continuing the unfinished full run saved in ${stateFile}) with 2 requests.`);
  });
});
