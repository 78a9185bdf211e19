import { readFileSync } from 'node:fs';

import type { ConnectorManifest, FieldMapping } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';

import { validateDefinition, type DefinitionTarget } from './validate-definition.js';

function readManifest(connector: string): ConnectorManifest {
  return JSON.parse(readFileSync(new URL(`../../../connectors/${connector}/manifest.json`, import.meta.url), 'utf8')) as ConnectorManifest;
}

const hubspot = readManifest('hubspot');
const contactsTarget: DefinitionTarget = { object: 'contacts', recordSchema: hubspot.objects.contacts?.recordSchema, canonicalObject: 'contact' };

function contacts(fields: unknown[]): unknown {
  return { object: 'contacts', canonicalObject: 'contact', fields: [{ target: 'fullName', source: 'properties.firstname' }, ...fields] };
}

function paths(definition: unknown, target: DefinitionTarget = contactsTarget): string[] {
  return validateDefinition(definition, target).map((problem) => problem.path);
}

describe('validateDefinition', () => {
  it('accepts every default mapping', () => {
    for (const connector of ['hubspot', 'example-tasks']) {
      const manifest = readManifest(connector);
      for (const mapping of manifest.mappings ?? []) {
        const target = { object: mapping.object, recordSchema: manifest.objects[mapping.object]?.recordSchema, canonicalObject: mapping.canonicalObject };
        expect(validateDefinition(mapping, target), `${connector} ${mapping.object}`).toEqual([]);
      }
    }
  });

  it('rejects a non-object', () => {
    expect(paths([])).toEqual(['']);
  });

  it('reports an unknown transform', () => {
    expect(paths(contacts([{ target: 'email', source: 'properties.email', transforms: [{ type: 'uppercase' }] }]))).toEqual(['/fields/1/transforms/0/type']);
  });

  it('reports a missing transform parameter', () => {
    const problems = validateDefinition(contacts([{ target: 'createdAt', source: 'properties.createdate', transforms: [{ type: 'date', from: 'iso8601' }] }]), contactsTarget);
    expect(problems.map((problem) => problem.path)).toEqual(['/fields/1/transforms/0']);
    expect(problems[0]?.message).toContain("'to'");
  });

  it('reports an unknown target', () => {
    const problems = validateDefinition(contacts([{ target: 'nickname', source: 'properties.firstname' }]), contactsTarget);
    expect(problems.map((problem) => problem.path)).toEqual(['/fields/1/target']);
    expect(problems[0]?.message).toContain('nickname');
  });

  it('reports an unmapped required field', () => {
    const problems = validateDefinition({ object: 'contacts', canonicalObject: 'contact', fields: [{ target: 'email', source: 'properties.email' }] }, contactsTarget);
    expect(problems).toEqual([{ path: '/fields', code: 'REQUIRED_FIELD_UNMAPPED', params: { canonicalObject: 'contact', field: 'fullName' }, message: expect.stringContaining('"fullName" is required') }]);
  });

  it('reports a bad source path', () => {
    expect(paths(contacts([{ target: 'phone', source: 'properties..phone' }]))).toEqual(['/fields/1/source']);
    expect(paths(contacts([{ target: 'lastName', sources: ['properties.lastname', 'a b'], transforms: [{ type: 'concat' }] }]))).toEqual(['/fields/1/sources/1']);
  });

  it('reports a text source in a boolean field', () => {
    const problems = validateDefinition(contacts([{ target: 'marketingConsent', source: 'properties.email' }]), contactsTarget);
    expect(problems.map((problem) => problem.path)).toEqual(['/fields/1']);
    expect(problems[0]?.message).toContain('"convert", "to": "boolean"');
    expect(paths(contacts([{ target: 'marketingConsent', source: 'properties.email', transforms: [{ type: 'convert', to: 'boolean' }] }]))).toEqual([]);
  });

  it('reports a list written to text', () => {
    expect(paths(contacts([{ target: 'lastName', sources: ['properties.lastname', 'properties.firstname'] }]))).toEqual(['/fields/1']);
  });

  it('reports a date format mismatch', () => {
    const rule = { target: 'createdAt', source: 'properties.createdate', transforms: [{ type: 'date', from: 'iso8601', to: 'date', timeZone: 'America/Sao_Paulo' }] };
    expect(paths(contacts([rule]))).toEqual(['/fields/1/transforms/0/to']);
    expect(paths(contacts([{ ...rule, target: 'birthDate' }]))).toEqual([]);
  });

  it('reports values outside an enum', () => {
    const rule = { target: 'lifecycleStage', source: 'properties.lifecyclestage', transforms: [{ type: 'valueMap', map: { lead: 'lead', hot: 'quente' } }] };
    expect(paths(contacts([rule]))).toEqual(['/fields/1/transforms/0/map/hot']);
    expect(paths(contacts([{ target: 'lifecycleStage', constant: 'vip' }]))).toEqual(['/fields/1/constant']);
  });

  it('reports overlapping targets', () => {
    const problems = validateDefinition(contacts([{ target: 'address', constant: null }, { target: 'address.city', source: 'properties.city' }]), contactsTarget);
    expect(problems.map((problem) => problem.path)).toEqual(['/fields/2']);
    expect(problems[0]?.message).toContain('overlaps');
  });

  it('reports another object or canonical object', () => {
    const definition = { object: 'deals', canonicalObject: 'deal', fields: [{ target: 'name', source: 'properties.dealname' }, { target: 'stage', source: 'properties.dealstage' }] };
    expect(paths(definition)).toEqual(['/object', '/canonicalObject']);
  });

  it('lists every problem at once', () => {
    const definition = contacts([
      { target: 'email', source: 'properties.email', transforms: [{ type: 'uppercase' }] },
      { target: 'nickname', source: 'properties.firstname' },
      { target: 'phone', source: 'properties..phone' },
    ]);
    expect(paths(definition).sort()).toEqual(['/fields/1/transforms/0/type', '/fields/2/target', '/fields/3/source']);
  });

  it('accepts a São Paulo local date', () => {
    const definition: FieldMapping = {
      object: 'contacts',
      canonicalObject: 'contact',
      fields: [
        { target: 'fullName', sources: ['properties.firstname', 'properties.lastname'], transforms: [{ type: 'concat', skipEmpty: true }] },
        { target: 'birthDate', source: 'properties.createdate', transforms: [{ type: 'date', from: 'iso8601', to: 'date', timeZone: 'America/Sao_Paulo' }] },
      ],
    };
    expect(validateDefinition(definition, contactsTarget)).toEqual([]);
  });
});
