import { describe, expect, it } from 'vitest';

import { loadCrmManifest, setAt } from '../fixtures/manifest-fixture.js';
import { validateFieldMapping } from '../validate-field-mapping.js';
import { validateManifest } from '../validate-manifest.js';

const FIELDS = '/mappings/0/fields';

/** Replaces field rule 0 of the contacts mapping and returns the issues. */
function issuesForRule(rule: unknown) {
  const manifest = loadCrmManifest();
  setAt(manifest, `${FIELDS}/0`, rule);
  return validateManifest(manifest).errors;
}

describe('mapping checks', () => {
  it('rejects an unknown mapping object', () => {
    const manifest = loadCrmManifest();
    setAt(manifest, '/mappings/1/object', 'opportunities');

    const issues = validateManifest(manifest).errors;

    expect(issues).toEqual([
      expect.objectContaining({ pointer: '/mappings/1/object', keyword: 'semantic:unknownObject', expected: "one of 'contacts', 'deals'" }),
    ]);
  });

  it('rejects an unknown target', () => {
    const issues = issuesForRule({ target: 'adress.city', source: 'properties.city' });

    expect(issues).toEqual([
      expect.objectContaining({ pointer: `${FIELDS}/0/target`, keyword: 'semantic:unknownMappingTarget', suggestion: 'address.city' }),
    ]);
  });

  it('rejects a nested unknown target', () => {
    const issues = issuesForRule({ target: 'address.cep', source: 'properties.zip' });

    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toBe("Target 'address.cep' does not exist: 'address' of the canonical contact schema has no field 'cep'.");
    expect(issues[0]?.expected).toContain("'postalCode'");
  });

  it('rejects the id target', () => {
    const issues = issuesForRule({ target: 'id', source: 'id' });

    expect(issues).toEqual([expect.objectContaining({ pointer: `${FIELDS}/0/target`, keyword: 'semantic:idTarget' })]);
  });

  it('rejects a repeated target', () => {
    const issues = issuesForRule({ target: 'lastName', source: 'properties.firstname' });

    expect(issues).toEqual([expect.objectContaining({ pointer: `${FIELDS}/1/target`, keyword: 'semantic:duplicateTarget' })]);
    expect(issues[0]?.message).toContain('field rule 0');
  });

  it('accepts custom field keys', () => {
    expect(issuesForRule({ target: 'customFields.hubspotScore', source: 'properties.hubspotscore' })).toEqual([]);
    const invalidKey = issuesForRule({ target: 'customFields.9lives', constant: 9 });
    expect(invalidKey.map((issue) => issue.pointer)).toContain(`${FIELDS}/0/target`);
  });

  it('rejects an unknown time zone', () => {
    const rule = {
      target: 'birthDate',
      source: 'properties.date_of_birth',
      transforms: [{ type: 'date', from: 'iso8601', to: 'date', timeZone: 'America/Sao Paulo' }],
    };

    const issues = issuesForRule(rule);

    expect(issues).toEqual([
      expect.objectContaining({
        pointer: `${FIELDS}/0/transforms/0/timeZone`,
        keyword: 'semantic:unknownTimeZone',
        suggestion: 'America/Sao_Paulo',
      }),
    ]);
  });

  it('accepts UTC and IANA zones', () => {
    for (const timeZone of ['UTC', 'America/Sao_Paulo', 'America/Manaus', 'Europe/Lisbon']) {
      const rule = { target: 'birthDate', source: 'properties.date_of_birth', transforms: [{ type: 'date', from: 'iso8601', to: 'date', timeZone }] };
      expect(issuesForRule(rule), timeZone).toEqual([]);
    }
  });

  it('rejects zone links', () => {
    const rule = { target: 'birthDate', source: 'properties.date_of_birth', transforms: [{ type: 'date', from: 'iso8601', to: 'date', timeZone: 'Brazil/East' }] };

    expect(issuesForRule(rule)).toEqual([expect.objectContaining({ keyword: 'semantic:unknownTimeZone' })]);
  });

  it('needs a zone for local times', () => {
    const rule = { target: 'leadSource', source: 'properties.createdate', transforms: [{ type: 'date', from: 'iso8601', to: 'localDateTime' }] };

    const issues = issuesForRule(rule);

    expect(issues).toEqual([expect.objectContaining({ pointer: `${FIELDS}/0/transforms/0`, keyword: 'required' })]);
    expect(issues[0]?.message).toContain("'timeZone' is missing when 'to' is 'localDateTime'");
  });

  it('rejects an unknown lookup field', () => {
    const rule = {
      target: 'companyId',
      source: 'properties.associatedcompanyid',
      transforms: [{ type: 'lookup', canonicalObject: 'company', field: 'nme' }],
    };

    const issues = issuesForRule(rule);

    expect(issues).toEqual([
      expect.objectContaining({ pointer: `${FIELDS}/0/transforms/0/field`, keyword: 'semantic:unknownLookupField', suggestion: 'name' }),
    ]);
  });
});

describe('array targets', () => {
  const mapping = (target: string) => ({ object: 'orders', canonicalObject: 'order', fields: [{ target, source: 'line_items[].sku' }] });

  it('accepts bracketed array paths', () => {
    expect(validateFieldMapping(mapping('lineItems[].sku')).errors).toEqual([]);
  });

  it('needs brackets into arrays', () => {
    const issues = validateFieldMapping(mapping('lineItems.sku')).errors;

    expect(issues).toEqual([expect.objectContaining({ pointer: '/fields/0/target', suggestion: 'lineItems[].sku' })]);
  });

  it('rejects brackets on scalars', () => {
    const issues = validateFieldMapping(mapping('total[].value')).errors;

    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toContain('not an array');
  });
});
