import { describe, expect, it } from 'vitest';

import type { SchemaDocument } from '../generated/schemas.js';
import { loadCrmManifest } from './fixtures/manifest-fixture.js';
import { validateFieldMapping } from './validate-field-mapping.js';

const CONTACT_MAPPING = {
  object: 'contacts',
  canonicalObject: 'contact',
  fields: [
    { target: 'fullName', sources: ['properties.firstname', 'properties.lastname'], transforms: [{ type: 'concat' }] },
    { target: 'email', source: 'properties.email', transforms: [{ type: 'case', to: 'lower' }] },
    { target: 'companyId', source: 'properties.associatedcompanyid', transforms: [{ type: 'lookup', canonicalObject: 'company' }] },
  ],
};

describe('validateFieldMapping', () => {
  it('accepts a valid mapping', () => {
    expect(validateFieldMapping(CONTACT_MAPPING)).toEqual({ valid: true, errors: [] });
  });

  it('accepts write-back reverse rules', () => {
    const fields = [
      { target: 'fullName', sources: ['properties.firstname', 'properties.lastname'], transforms: [{ type: 'concat' }], reverse: false },
      { target: 'jobTitle', source: 'properties.jobtitle', reverse: { target: 'properties.job_title', transforms: [{ type: 'case', to: 'upper' }] } },
      { target: 'email', source: 'properties.email', reverse: [{ target: 'properties.email' }, { target: 'properties.work_email' }] },
    ];
    expect(validateFieldMapping({ ...CONTACT_MAPPING, fields }).valid).toBe(true);
  });

  it('rejects a malformed reverse rule', () => {
    const fields = [{ target: 'email', source: 'properties.email', reverse: { target: '', extra: 1 } }];
    expect(validateFieldMapping({ ...CONTACT_MAPPING, fields }).valid).toBe(false);
  });

  it('accepts it against its manifest', () => {
    expect(validateFieldMapping(CONTACT_MAPPING, { manifest: loadCrmManifest() }).valid).toBe(true);
  });

  it('reports schema errors', () => {
    const result = validateFieldMapping({ object: 'contacts', canonicalObject: 'lead', fieldz: [] });

    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([
      expect.objectContaining({ pointer: '', keyword: 'required', message: "Required property 'fields' is missing." }),
      expect.objectContaining({ pointer: '/canonicalObject', keyword: 'enum' }),
      expect.objectContaining({ pointer: '/fieldz', keyword: 'additionalProperties', suggestion: 'fields' }),
    ]);
  });

  it('rejects an object the manifest lacks', () => {
    const result = validateFieldMapping({ ...CONTACT_MAPPING, object: 'contact' }, { manifest: loadCrmManifest() });

    expect(result.errors).toEqual([
      expect.objectContaining({ pointer: '/object', keyword: 'semantic:unknownObject', suggestion: 'contacts' }),
    ]);
  });

  it('checks targets without a manifest', () => {
    const mapping = { ...CONTACT_MAPPING, fields: [{ target: 'fulName', source: 'name' }] };

    expect(validateFieldMapping(mapping).errors).toEqual([
      expect.objectContaining({ pointer: '/fields/0/target', suggestion: 'fullName' }),
    ]);
  });

  it('uses supplied canonical schemas', () => {
    const contact: SchemaDocument = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://example.test/contact.schema.json',
      title: 'Contact',
      type: 'object',
      additionalProperties: false,
      properties: {
        nickname: { type: 'string', description: 'Name used in greetings.' },
        address: { $ref: 'https://schemas.lumio.dev/canonical/common.schema.json#/$defs/Address', description: 'Address.' },
      },
    };
    const mapping = {
      object: 'contacts',
      canonicalObject: 'contact',
      fields: [
        { target: 'nickname', source: 'n' },
        { target: 'address.city', source: 'c' },
        { target: 'firstName', source: 'f' },
      ],
    };

    const result = validateFieldMapping(mapping, { canonicalSchemas: { contact } });

    expect(result.errors.map((issue) => issue.pointer)).toEqual(['/fields/2/target']);
  });

  it('reports a missing canonical schema', () => {
    const result = validateFieldMapping(CONTACT_MAPPING, { canonicalSchemas: {} });

    expect(result.errors).toEqual([
      expect.objectContaining({ pointer: '/canonicalObject', keyword: 'semantic:unknownCanonicalObject' }),
    ]);
  });
});
