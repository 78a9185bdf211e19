import { describe, expect, it } from 'vitest';

import { loadCrmManifest, setAt } from '../fixtures/manifest-fixture.js';
import { validateManifest } from '../validate-manifest.js';

const CONTACTS = '/objects/contacts/operations';

/** Sets one value in the sample manifest and returns the issues validation reports. */
function issuesAfter(pointer: string, value: unknown) {
  const manifest = loadCrmManifest();
  setAt(manifest, pointer, value);
  return validateManifest(manifest).errors;
}

describe('template checks', () => {
  it('rejects an undeclared config field', () => {
    const issues = issuesAfter(`${CONTACTS}/list/query/properties`, '{{ config.propertiesToRed }}');

    expect(issues).toEqual([
      expect.objectContaining({
        pointer: `${CONTACTS}/list/query/properties`,
        keyword: 'semantic:unknownConfigField',
        suggestion: 'config.propertiesToRead',
      }),
    ]);
  });

  it('accepts OAuth connection fields', () => {
    const manifest = loadCrmManifest();
    setAt(manifest, '/auth/0/connectionFields', ['hub_domain']);
    setAt(manifest, '/connection/baseUrl', 'https://{{ config.hub_domain }}');

    expect(validateManifest(manifest).errors).toEqual([]);
  });

  it('rejects reading inside a setting', () => {
    const issues = issuesAfter('/connection/baseUrl', 'https://{{ config.portalId.value }}');

    expect(issues).toEqual([expect.objectContaining({ pointer: '/connection/baseUrl', suggestion: 'config.portalId' })]);
  });

  it('limits id to record operations', () => {
    const issues = issuesAfter(`${CONTACTS}/list/path`, '/crm/v3/objects/contacts/{{ id }}');

    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ pointer: `${CONTACTS}/list/path`, keyword: 'semantic:unknownTemplateVariable' });
    expect(issues[0]?.message).toContain('get, update and delete');
  });

  it('limits cursor to cursor pagination', () => {
    const issues = issuesAfter(`${CONTACTS}/get/query/after`, '{{ cursor }}');

    expect(issues).toHaveLength(1);
    expect(issues[0]?.pointer).toBe(`${CONTACTS}/get/query/after`);
    expect(issues[0]?.expected).toBe("one of 'config.portalId', 'config.propertiesToRead', 'id'");
  });

  it('limits incremental variables to their operation', () => {
    const issues = issuesAfter(`${CONTACTS}/list/query/since`, '{{ incremental.since }}');

    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toContain('incremental.operation');
  });

  it('needs pageSize in the pagination', () => {
    const issues = issuesAfter('/objects/deals/operations/get/query', { limit: '{{ pageSize }}' });

    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toContain('pageSize');
  });

  it('limits params to actions', () => {
    const issues = issuesAfter(`${CONTACTS}/create/query`, { note: '{{ params.body }}' });

    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toContain('action requests');
  });

  it('rejects an undeclared action parameter', () => {
    const pointer = '/actions/logNote/request/body/properties/hs_note_body';
    const issues = issuesAfter(pointer, '{{ params.bdy }}');

    expect(issues).toEqual([
      expect.objectContaining({ pointer, keyword: 'semantic:unknownActionParameter', suggestion: 'params.body' }),
    ]);
  });

  it('suggests a close variable name', () => {
    const issues = issuesAfter(`${CONTACTS}/list/query/after`, '{{ cusor }}');

    expect(issues).toEqual([expect.objectContaining({ message: "Unknown template variable 'cusor'.", suggestion: 'cursor' })]);
  });

  it('points into the body', () => {
    const pointer = `${CONTACTS}/search/body/filterGroups/0/filters/0/value`;
    const issues = issuesAfter(pointer, '{{ incremental.snce }}');

    expect(issues.map((issue) => issue.pointer)).toEqual([pointer]);
  });

  it('allows only config in connection templates', () => {
    const issues = issuesAfter('/connection/baseUrl', 'https://api.hubapi.com/{{ id }}');

    expect(issues).toHaveLength(1);
    expect(issues[0]?.expected).toBe("one of 'config.portalId', 'config.propertiesToRead'");
  });

  it('checks OAuth URL templates', () => {
    const issues = issuesAfter('/auth/0/tokenUrl', 'https://{{ config.region }}.hubapi.com/oauth/v1/token');

    expect(issues).toEqual([expect.objectContaining({ pointer: '/auth/0/tokenUrl', keyword: 'semantic:unknownConfigField' })]);
  });

  it('rejects filters and expressions', () => {
    const issues = issuesAfter(`${CONTACTS}/get/query/properties`, '{{ config.propertiesToRead | upper }}');

    expect(issues).toEqual([expect.objectContaining({ keyword: 'semantic:templateSyntax' })]);
    expect(issues[0]?.message).toContain('no filters');
  });

  it('rejects an unclosed template', () => {
    const issues = issuesAfter(`${CONTACTS}/get/path`, '/crm/v3/objects/contacts/{{ id');

    expect(issues).toEqual([expect.objectContaining({ keyword: 'semantic:templateSyntax' })]);
    expect(issues[0]?.message).toContain("without a closing '}}'");
  });

  it('checks HMAC signed content', () => {
    const signature = {
      scheme: 'hmac',
      header: 'X-Signature',
      algorithm: 'sha256',
      encoding: 'hex',
      signedContent: '{{ timestamp }}.{{ bdy }}',
      timestampHeader: 'X-Timestamp',
    };
    const issues = issuesAfter('/webhooks/signature', signature);

    expect(issues).toEqual([
      expect.objectContaining({ pointer: '/webhooks/signature/signedContent', suggestion: 'body' }),
    ]);
  });
});
