import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type * as TypeScript from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

import { SDK_PLUGIN_MODULE } from '../bundle/bundle-plugin.js';
import { checkPluginTypes, PLUGIN_COMPILER_OPTIONS, type PluginTypeCheckResult } from './check-plugin-types.js';
import { scaffoldConnector } from './scaffold-connector.js';

const CONNECTORS = fileURLToPath(new URL('../../../connectors/', import.meta.url));
const SDK_FOLDER = dirname(fileURLToPath(import.meta.url));

const temporaryFolders: string[] = [];

afterAll(async () => {
  for (const folder of temporaryFolders) await rm(folder, { recursive: true, force: true });
});

async function makeTemporaryFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'lumio-typecheck-'));
  temporaryFolders.push(folder);
  return folder;
}

async function writeConnector(files: Record<string, string>): Promise<string> {
  const directory = await makeTemporaryFolder();
  for (const [name, source] of Object.entries(files)) {
    await mkdir(dirname(join(directory, name)), { recursive: true });
    await writeFile(join(directory, name), source);
  }
  return directory;
}

function checkEntry(directory: string, options: { typescriptSearchPaths?: string[] } = {}): PluginTypeCheckResult {
  return checkPluginTypes({ directory, entry: join(directory, 'plugin/index.ts'), ...options });
}

function errorsOf(result: PluginTypeCheckResult) {
  if (result.status !== 'failed') throw new Error(`expected type errors, got ${JSON.stringify(result)}`);
  return result.errors;
}

describe('checkPluginTypes', () => {
  it("passes the repository's connector plugins", async () => {
    let checked = 0;
    for (const id of await readdir(CONNECTORS)) {
      const manifest = JSON.parse(await readFile(join(CONNECTORS, id, 'manifest.json'), 'utf8')) as { plugin?: { entry: string } };
      if (manifest.plugin === undefined) continue;

      const result = checkPluginTypes({ directory: join(CONNECTORS, id), entry: join(CONNECTORS, id, manifest.plugin.entry) });

      expect(result, id).toMatchObject({ status: 'passed' });
      checked += 1;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('passes the scaffold template', async () => {
    const parent = await makeTemporaryFolder();
    const directory = await scaffoldConnector({ id: 'acme-crm', parentDirectory: parent, out: () => undefined });

    expect(checkEntry(directory)).toMatchObject({ status: 'passed', files: ['plugin/index.ts'] });
  });

  it('reports errors relative to the folder', async () => {
    const directory = await writeConnector({
      'plugin/index.ts': "import { label } from './lib/label';\n\nconst count: number = 'str';\nexport default { count, label };\n",
      'plugin/lib/label.ts': 'export function label(value: unknown): string {\n  return value.toString();\n}\n',
    });

    const result = checkEntry(directory);

    expect(result.status).toBe('failed');
    expect(result).toMatchObject({ files: expect.arrayContaining(['plugin/index.ts', 'plugin/lib/label.ts']) });
    expect(errorsOf(result)).toEqual([
      { file: 'plugin/index.ts', line: 3, column: 7, message: "Type 'string' is not assignable to type 'number'." },
      { file: 'plugin/lib/label.ts', line: 2, column: 10, message: "'value' is of type 'unknown'." },
    ]);
  });

  it('knows no DOM or Node globals', async () => {
    const directory = await writeConnector({
      'plugin/index.ts': [
        'export default {',
        '  title: document.title,',
        '  home: process.env.HOME,',
        "  bytes: Buffer.from('x'),",
        '  timer: setTimeout(() => undefined, 1),',
        "  logged: console.log('x'),",
        '};',
        '',
      ].join('\n'),
    });

    const messages = errorsOf(checkEntry(directory)).map((error) => `${error.line}: ${error.message}`);

    expect(messages).toHaveLength(5);
    for (const [line, name] of [[2, 'document'], [3, 'process'], [4, 'Buffer'], [5, 'setTimeout'], [6, 'console']] as const) {
      expect(messages.find((message) => message.startsWith(`${line}: `))).toContain(`Cannot find name '${name}'`);
    }
  });

  it('checks hooks against the SDK types', async () => {
    const directory = await writeConnector({
      'plugin/index.ts': "import { definePlugin } from '@lumio/plugin-sdk';\n\nexport default definePlugin({\n  transformPage() {\n    return 5;\n  },\n});\n",
    });

    const errors = errorsOf(checkEntry(directory));

    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'plugin/index.ts', line: 4 });
    expect(errors[0]?.message).toContain("Type 'number' is not assignable to type");
  });

  it('accepts .ts and JSON imports as esbuild does', async () => {
    const directory = await writeConnector({
      'plugin/index.ts': "import { shout } from './shout.ts';\nimport settings from './settings.json';\n\nexport default shout(settings.greeting);\n",
      'plugin/shout.ts': 'export const shout = (text: string): string => text.toUpperCase();\n',
      'plugin/settings.json': '{"greeting": "hello"}\n',
    });

    expect(checkEntry(directory)).toMatchObject({ status: 'passed' });
  });

  it('reports no errors inside npm packages', async () => {
    const directory = await writeConnector({
      'plugin/index.ts': "import { width } from 'measure';\n\nconst label: string = width;\nexport default label;\n",
      'node_modules/measure/package.json': '{"name": "measure", "main": "index.js", "types": "index.d.ts"}',
      'node_modules/measure/index.js': 'exports.width = 3;\n',
      'node_modules/measure/index.d.ts': 'export declare const width: number;\nexport declare const broken: NotAType;\n',
    });

    expect(errorsOf(checkEntry(directory))).toEqual([
      { file: 'plugin/index.ts', line: 3, column: 7, message: "Type 'number' is not assignable to type 'string'." },
    ]);
  });

  it('skips the check without TypeScript', async () => {
    const directory = await writeConnector({ 'plugin/index.ts': 'export default 1;\n' });

    const result = checkEntry(directory, { typescriptSearchPaths: [directory] });

    expect(result.status).toBe('skipped');
    expect(result).toMatchObject({ reason: expect.stringContaining('TypeScript is not installed') });
    expect(result).toMatchObject({ reason: expect.stringContaining('npm install --save-dev typescript') });
  });

  it('skips a TypeScript older than 5.0', async () => {
    const directory = await writeConnector({
      'plugin/index.ts': 'export default 1;\n',
      'node_modules/typescript/package.json': '{"name": "typescript", "version": "4.9.5", "main": "index.js"}',
      'node_modules/typescript/index.js': 'module.exports = { version: "4.9.5" };\n',
    });

    const result = checkEntry(directory, { typescriptSearchPaths: [directory] });

    expect(result.status).toBe('skipped');
    expect(result).toMatchObject({ reason: expect.stringContaining('TypeScript 4.9.5') });
    expect(result).toMatchObject({ reason: expect.stringContaining('older than 5.0') });
  });

  it('falls back past an old TypeScript', async () => {
    const directory = await writeConnector({
      'plugin/index.ts': 'export default 1;\n',
      'node_modules/typescript/package.json': '{"name": "typescript", "version": "4.9.5", "main": "index.js"}',
      'node_modules/typescript/index.js': 'module.exports = { version: "4.9.5" };\n',
    });
    const installed = createRequire(import.meta.url)('typescript') as typeof TypeScript;

    const result = checkEntry(directory);

    expect(result).toMatchObject({ status: 'passed', typescriptVersion: installed.version });
  });

  it("passes the SDK's plugin module under the plugin settings", () => {
    // checkPluginTypes leaves out errors in SDK files, so this checks them directly.
    const ts = createRequire(import.meta.url)('typescript') as typeof TypeScript;
    const { options, errors } = ts.convertCompilerOptionsFromJson(PLUGIN_COMPILER_OPTIONS, SDK_FOLDER);
    const program = ts.createProgram({ rootNames: [SDK_PLUGIN_MODULE], options });

    const messages = ts.getPreEmitDiagnostics(program).map((diagnostic) => `${diagnostic.file?.fileName}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`);

    expect(errors).toEqual([]);
    expect(messages).toEqual([]);
  });
});
