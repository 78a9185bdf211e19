import { describe, expect, it } from 'vitest';

import type { ConnectorManifest } from '../../generated/manifest.js';
import { loadCrmManifest, setAt } from '../fixtures/manifest-fixture.js';
import { validateFieldMapping } from '../validate-field-mapping.js';
import { validateManifest } from '../validate-manifest.js';
import { checkRecordPaths } from './check-record-paths.js';

const CONTACTS = '/objects/contacts';
const CURSOR = `${CONTACTS}/incremental/cursorField`;
const CONTACT_FIELDS = '/mappings/0/fields';

/** Returns the sample manifest with extra contact fields: a top-level timestamp, arrays, and objects the schema leaves open. */
function loadManifest(): ConnectorManifest {
  const manifest = loadCrmManifest();
  const properties = `${CONTACTS}/recordSchema/properties`;
  setAt(manifest, `${properties}/updated_at`, { type: 'string', format: 'date-time' });
  setAt(manifest, `${properties}/emails`, {
    type: 'array',
    items: { type: 'object', properties: { address: { type: 'string' }, primary: { type: 'boolean' } } },
  });
  setAt(manifest, `${properties}/tags`, { type: 'array', items: { type: 'string' } });
  setAt(manifest, `${properties}/metadata`, { type: ['object', 'null'] });
  setAt(manifest, `${properties}/history`, { type: 'array' });
  return manifest;
}

/** Returns the manifest issues and the record path issues, as validateConnectorDirectory reports them. */
function issuesOf(manifest: ConnectorManifest) {
  return [...validateManifest(manifest).errors, ...checkRecordPaths(manifest)];
}

function issuesWith(pointer: string, value: unknown) {
  const manifest = loadManifest();
  setAt(manifest, pointer, value);
  return issuesOf(manifest);
}

describe('incremental cursor field', () => {
  it('accepts the sample manifest', () => {
    expect(issuesOf(loadManifest())).toEqual([]);
  });

  it('stays out of validateManifest', () => {
    const manifest = loadManifest();
    setAt(manifest, CURSOR, 'updatedAt');
    setAt(manifest, `${CONTACT_FIELDS}/0/source`, 'properties.fristname');

    expect(validateManifest(manifest).errors).toEqual([]);
    expect(checkRecordPaths(manifest)).toHaveLength(2);
  });

  it('rejects a field the schema lacks', () => {
    const issues = issuesWith(CURSOR, 'updatedAt');

    expect(issues).toEqual([expect.objectContaining({ pointer: CURSOR, keyword: 'semantic:unknownCursorField', suggestion: 'updated_at' })]);
    expect(issues[0]?.message).toBe(
      "Cursor field 'updatedAt' does not exist: the recordSchema of object 'contacts' has no field 'updatedAt'. " +
        "Incremental runs would find no cursor and re-read every record; fix the path, or the recordSchema if it does not match the provider's records.",
    );
  });

  it('rejects a nested typo', () => {
    const issues = issuesWith(CURSOR, 'properties.lastmodifieddat');

    expect(issues).toEqual([expect.objectContaining({ pointer: CURSOR, suggestion: 'properties.lastmodifieddate' })]);
    expect(issues[0]?.message).toContain("'properties' in the recordSchema of object 'contacts' has no field 'lastmodifieddat'");
  });

  it('lists the fields without a close name', () => {
    const issues = issuesWith(CURSOR, 'modified');

    expect(issues).toHaveLength(1);
    expect(issues[0]?.suggestion).toBeUndefined();
    expect(issues[0]?.expected).toBe("one of 'id', 'properties', 'archived', 'updated_at', 'emails', 'tags', 'metadata', 'history'");
  });

  it('rejects reading inside a scalar', () => {
    const issues = issuesWith(CURSOR, 'archived.at');

    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toContain("reads inside 'archived', which the recordSchema of object 'contacts' declares as a boolean");
  });

  it('reads array elements by index', () => {
    expect(issuesWith(CURSOR, 'emails.0.address')).toEqual([]);
    expect(issuesWith(CURSOR, 'tags.2')).toEqual([]);
  });

  it('rejects a field of an array', () => {
    const issues = issuesWith(CURSOR, 'emails.address');

    expect(issues).toEqual([expect.objectContaining({ pointer: CURSOR, suggestion: 'emails.0.address' })]);
    expect(issues[0]?.message).toContain("reads a field of the array 'emails' instead of one of its elements");
  });

  it('rejects brackets', () => {
    const issues = issuesWith(CURSOR, 'emails[].address');

    expect(issues).toEqual([expect.objectContaining({ pointer: CURSOR, suggestion: 'emails.0.address' })]);
    expect(issues[0]?.message).toContain('contains "[" or "]"');
    expect(issuesWith(CURSOR, 'emails[1].address')).toEqual([expect.objectContaining({ suggestion: 'emails.1.address' })]);
  });

  it('accepts paths the schema leaves open', () => {
    expect(issuesWith(CURSOR, 'metadata.updated')).toEqual([]);
    expect(issuesWith(CURSOR, 'history.0.at')).toEqual([]);
  });

  it('checks the tie-breaker field', () => {
    const pointer = `${CONTACTS}/incremental/tieBreakerField`;
    const issues = issuesWith(pointer, 'ids');

    expect(issues).toEqual([expect.objectContaining({ pointer, keyword: 'semantic:unknownTieBreakerField', suggestion: 'id' })]);
    expect(issues[0]?.message).toContain('no tie-breaker');
  });

  it('skips an empty record schema', () => {
    const manifest = loadManifest();
    setAt(manifest, `${CONTACTS}/recordSchema/properties`, {});
    setAt(manifest, CURSOR, 'anything.at.all');
    // The default mapping of contacts reads fields that the empty schema no longer lists.
    setAt(manifest, '/mappings', []);

    expect(issuesOf(manifest)).toEqual([]);
  });
});

describe('mapping sources', () => {
  it('rejects a source the schema lacks', () => {
    const pointer = `${CONTACT_FIELDS}/0/source`;
    const issues = issuesWith(pointer, 'properties.fristname');

    expect(issues).toEqual([expect.objectContaining({ pointer, keyword: 'semantic:unknownMappingSource', suggestion: 'properties.firstname' })]);
    expect(issues[0]?.message).toBe(
      "Source 'properties.fristname' does not exist: 'properties' in the recordSchema of object 'contacts' has no field 'fristname'. " +
        "The mapping would write null to its target; fix the path, or the recordSchema if it does not match the provider's records.",
    );
  });

  it('suggests a swapped letter pair', () => {
    const pointer = `${CONTACT_FIELDS}/4/source`;

    expect(issuesWith(pointer, 'properties.phoen')).toEqual([expect.objectContaining({ suggestion: 'properties.phone' })]);
    expect(issuesWith(pointer, 'properties.emial')).toEqual([expect.objectContaining({ suggestion: 'properties.email' })]);
  });

  it('checks each of several sources', () => {
    const pointer = `${CONTACT_FIELDS}/2/sources/1`;
    const issues = issuesWith(pointer, 'properties.last_name');

    expect(issues).toEqual([expect.objectContaining({ pointer, suggestion: 'properties.lastname' })]);
  });

  it('skips sources when a plugin is declared', () => {
    const manifest = loadManifest();
    setAt(manifest, `${CONTACT_FIELDS}/0/source`, 'properties.addedByPlugin');
    setAt(manifest, CURSOR, 'properties.updatedAt');
    manifest.plugin = { entry: 'plugin/index.ts', capabilities: [] };

    const issues = issuesOf(manifest);

    expect(issues.filter((issue) => issue.keyword === 'semantic:unknownMappingSource')).toEqual([]);
    expect(issues).toEqual([expect.objectContaining({ pointer: CURSOR, keyword: 'semantic:unknownCursorField' })]);
  });

  it('checks the mapping of each object', () => {
    const pointer = '/mappings/1/fields/0/source';
    const issues = issuesWith(pointer, 'properties.deal_name');

    expect(issues).toEqual([expect.objectContaining({ pointer, suggestion: 'properties.dealname' })]);
    expect(issues[0]?.message).toContain("the recordSchema of object 'deals'");
  });

  it('fans out over arrays', () => {
    const rule = { target: 'email', source: 'emails[].address', transforms: [{ type: 'concat', separator: ',' }] };

    expect(issuesWith(`${CONTACT_FIELDS}/3`, rule)).toEqual([]);
    expect(issuesWith(`${CONTACT_FIELDS}/3/source`, 'emails.0.address')).toEqual([]);
    expect(issuesWith(`${CONTACT_FIELDS}/3/source`, 'tags[]')).toEqual([]);
  });

  it('rejects an array read without brackets', () => {
    const pointer = `${CONTACT_FIELDS}/3/source`;
    const issues = issuesWith(pointer, 'emails.address');

    expect(issues).toEqual([expect.objectContaining({ pointer, suggestion: 'emails[].address' })]);
    expect(issues[0]?.message).toContain(`reads inside the array 'emails' without "[]"`);
  });

  it('rejects brackets on a non-array', () => {
    const pointer = `${CONTACT_FIELDS}/3/source`;
    const issues = issuesWith(pointer, 'properties.email[]');

    expect(issues).toEqual([expect.objectContaining({ pointer, suggestion: 'properties.email' })]);
    expect(issues[0]?.message).toContain(`uses "[]" on 'email', which is not an array`);
  });

  it('suggests inside array elements', () => {
    const issues = issuesWith(`${CONTACT_FIELDS}/3/source`, 'emails[].adress');

    expect(issues).toEqual([expect.objectContaining({ suggestion: 'emails[].address' })]);
  });

  it('accepts fields the schema leaves open', () => {
    expect(issuesWith(`${CONTACT_FIELDS}/3/source`, 'metadata.anything')).toEqual([]);
    expect(issuesWith(`${CONTACT_FIELDS}/3/source`, 'history[].anything')).toEqual([]);
  });

  it('ignores constant rules', () => {
    expect(issuesWith(`${CONTACT_FIELDS}/3`, { target: 'email', constant: 'unknown@example.com' })).toEqual([]);
  });

  it('skips a mapping of an unknown object', () => {
    const manifest = loadManifest();
    setAt(manifest, '/mappings/0/object', 'people');
    setAt(manifest, `${CONTACT_FIELDS}/3/source`, 'nowhere');

    const issues = issuesOf(manifest);

    expect(issues.map((issue) => issue.keyword)).toEqual(['semantic:unknownObject']);
  });
});

describe('stored mapping sources', () => {
  const mapping = (source: string) => ({ object: 'contacts', canonicalObject: 'contact', fields: [{ target: 'email', source }] });

  it('checks them against the manifest', () => {
    const result = validateFieldMapping(mapping('properties.emal'), { manifest: loadManifest() });

    expect(result.errors).toEqual([
      expect.objectContaining({ pointer: '/fields/0/source', keyword: 'semantic:unknownMappingSource', suggestion: 'properties.email' }),
    ]);
  });

  it('skips them without a manifest', () => {
    expect(validateFieldMapping(mapping('properties.emal')).errors).toEqual([]);
  });

  it('allows additional properties', () => {
    const manifest = loadManifest();
    setAt(manifest, `${CONTACTS}/recordSchema/properties/properties/additionalProperties`, true);

    expect(validateFieldMapping(mapping('properties.hs_custom'), { manifest }).errors).toEqual([]);
  });
});
