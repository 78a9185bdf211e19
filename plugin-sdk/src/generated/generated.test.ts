import { readFile } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import { GENERATED_DIRECTORY, REGENERATE_COMMAND, renderGeneratedFiles } from '../../scripts/type-generation/index.js';

/** Type names the manifest contract fixes; the schema titles must produce exactly these. */
const CONTRACT_TYPES: Record<string, string[]> = {
  'manifest.ts': [
    'ConnectorManifest', 'ConnectionDefinition', 'ConfigSchema', 'ConfigField', 'ConnectionTest', 'AuthMethod',
    'ApiKeyAuth', 'BasicAuth', 'BearerAuth', 'OAuth2AuthorizationCodeAuth', 'OAuth2ClientCredentialsAuth',
    'TokenFields', 'RefreshRules', 'ResponseCondition', 'RateLimits', 'RateLimitBudget', 'QuotaHeaders',
    'RetryPolicy', 'RetryBodyRule', 'ObjectDefinition', 'RecordSchema', 'RecordField', 'ObjectOperations',
    'RequestTemplate', 'TemplateValue', 'RequestOperation', 'ListOperation', 'CountOperation', 'BatchOperation',
    'RecordSelector', 'Pagination', 'CursorPagination', 'OffsetPagination', 'PageNumberPagination',
    'LinkHeaderPagination', 'NextUrlPagination', 'IncrementalSync', 'DeletionDetection', 'ActionDefinition',
    'WebhookDefinition', 'WebhookSignature', 'BuiltInSignature', 'HmacSignature', 'WebhookHandshake',
    'ValueLocation', 'WebhookRoute', 'DefaultMapping', 'PluginEntry',
  ],
  'field-mapping.ts': [
    'FieldMapping', 'FieldRule', 'Transform', 'TrimTransform', 'CaseTransform', 'ConvertTransform', 'DateTransform',
    'DefaultTransform', 'ValueMapTransform', 'ConcatTransform', 'SplitTransform', 'LookupTransform',
  ],
  'canonical.ts': ['Contact', 'Company', 'Deal', 'Product', 'Order', 'Customer', 'Message'],
};

function declaredTypes(source: string): string[] {
  return [...source.matchAll(/^export (?:interface|type) (\w+)/gm)].map((match) => match[1] ?? '');
}

describe('generated files', () => {
  it('match the schemas', async () => {
    const files = await renderGeneratedFiles();

    for (const file of files) {
      const committed = await readFile(new URL(file.fileName, GENERATED_DIRECTORY), 'utf8').catch(() => '');
      expect(committed === file.contents, `plugin-sdk/src/generated/${file.fileName} is out of date; run \`${REGENERATE_COMMAND}\``).toBe(true);
    }
  });

  it('render deterministically', async () => {
    const first = await renderGeneratedFiles();
    const second = await renderGeneratedFiles();

    expect(second).toEqual(first);
  });

  it('declare the contract types', async () => {
    const files = new Map((await renderGeneratedFiles()).map((file) => [file.fileName, file.contents]));

    for (const [fileName, names] of Object.entries(CONTRACT_TYPES)) {
      const declared = declaredTypes(files.get(fileName) ?? '');
      for (const name of names) expect(declared, `${fileName} declares ${name}`).toContain(name);
    }
  });

  it('declare each type once', async () => {
    const all = (await renderGeneratedFiles()).flatMap((file) => declaredTypes(file.contents));

    expect(all.filter((name, index) => all.indexOf(name) !== index)).toEqual([]);
  });

  it('carry the do-not-edit banner', async () => {
    for (const file of await renderGeneratedFiles()) {
      expect(file.contents, file.fileName).toContain(`Do not edit:\n// change the schema and run \`${REGENERATE_COMMAND}\``);
    }
  });
});
