import { describe, expect, it } from 'vitest';

import { loadCrmManifest, removeAt, setAt } from '../fixtures/manifest-fixture.js';
import { validateManifest } from '../validate-manifest.js';

const CONTACTS = '/objects/contacts';

describe('object checks', () => {
  it('rejects body pagination on GET', () => {
    const manifest = loadCrmManifest();
    setAt(manifest, `${CONTACTS}/operations/list/pagination/in`, 'body');

    const issues = validateManifest(manifest).errors;

    expect(issues).toEqual([
      expect.objectContaining({
        pointer: `${CONTACTS}/operations/list/pagination/in`,
        keyword: 'semantic:bodyPaginationOnGet',
        suggestion: 'query',
      }),
    ]);
  });

  it('rejects offset pagination body on GET', () => {
    const manifest = loadCrmManifest();
    setAt(manifest, '/objects/deals/operations/list/pagination', {
      type: 'offset',
      in: 'body',
      offsetParam: 'offset',
      limitParam: 'limit',
      pageSize: 50,
    });

    const issues = validateManifest(manifest).errors;

    expect(issues.map((issue) => issue.keyword)).toEqual(['semantic:bodyPaginationOnGet']);
    expect(issues[0]?.message).toContain('offset');
  });

  it('rejects a body on GET', () => {
    const manifest = loadCrmManifest();
    setAt(manifest, `${CONTACTS}/operations/get/body`, { archived: false });

    const issues = validateManifest(manifest).errors;

    expect(issues).toEqual([expect.objectContaining({ pointer: `${CONTACTS}/operations/get/body`, keyword: 'semantic:bodyOnGet' })]);
  });

  it('needs the incremental operation', () => {
    const manifest = loadCrmManifest();
    removeAt(manifest, `${CONTACTS}/operations/search`);

    const issues = validateManifest(manifest).errors;

    expect(issues).toEqual([
      expect.objectContaining({
        pointer: `${CONTACTS}/incremental/operation`,
        keyword: 'semantic:missingIncrementalOperation',
        suggestion: 'list',
      }),
    ]);
  });

  it('needs a listDeleted operation', () => {
    const manifest = loadCrmManifest();
    removeAt(manifest, `${CONTACTS}/operations/listDeleted`);

    const issues = validateManifest(manifest).errors;

    expect(issues).toEqual([
      expect.objectContaining({ pointer: `${CONTACTS}/deletions/strategy`, keyword: 'semantic:missingListDeletedOperation' }),
    ]);
  });

  it('accepts a record store cache with ttl and get', () => {
    const manifest = loadCrmManifest();
    setAt(manifest, `${CONTACTS}/cacheTtlSeconds`, 300);
    setAt(manifest, `${CONTACTS}/cacheFromRecordStore`, true);

    expect(validateManifest(manifest).errors).toEqual([]);
  });

  it('needs a ttl for the record store cache', () => {
    const manifest = loadCrmManifest();
    removeAt(manifest, `${CONTACTS}/cacheTtlSeconds`);
    setAt(manifest, `${CONTACTS}/cacheFromRecordStore`, true);

    const issues = validateManifest(manifest).errors;

    expect(issues).toEqual([expect.objectContaining({ pointer: `${CONTACTS}/cacheFromRecordStore`, keyword: 'semantic:recordStoreCacheWithoutTtl' })]);
  });

  it('needs a get for the record store cache', () => {
    const manifest = loadCrmManifest();
    setAt(manifest, `${CONTACTS}/cacheTtlSeconds`, 60);
    setAt(manifest, `${CONTACTS}/cacheFromRecordStore`, true);
    removeAt(manifest, `${CONTACTS}/operations/get`);

    const issues = validateManifest(manifest).errors;

    // The fixture's webhook route also fetches contacts with get, which is its own issue.
    expect(issues).toContainEqual(expect.objectContaining({ pointer: `${CONTACTS}/cacheFromRecordStore`, keyword: 'semantic:recordStoreCacheWithoutGet' }));
    expect(issues.filter((issue) => issue.keyword.startsWith('semantic:recordStoreCache'))).toHaveLength(1);
  });
});

describe('rate limit checks', () => {
  it('rejects an undeclared endpoint group', () => {
    const manifest = loadCrmManifest();
    setAt(manifest, '/rateLimits/budgets/1/endpointGroup', 'serch');

    const issues = validateManifest(manifest).errors;

    expect(issues).toEqual([
      expect.objectContaining({
        pointer: '/rateLimits/budgets/1/endpointGroup',
        keyword: 'semantic:undeclaredEndpointGroup',
        suggestion: 'search',
      }),
    ]);
  });

  it('counts groups of every request', () => {
    const manifest = loadCrmManifest();
    removeAt(manifest, `${CONTACTS}/operations/search/endpointGroup`);
    removeAt(manifest, `${CONTACTS}/operations/count/endpointGroup`);
    setAt(manifest, '/actions/logNote/request/endpointGroup', 'search');

    expect(validateManifest(manifest).errors).toEqual([]);
  });
});

describe('connection checks', () => {
  it('rejects an undeclared required setting', () => {
    const manifest = loadCrmManifest();
    setAt(manifest, '/connection/configSchema/required', ['portalID']);

    const issues = validateManifest(manifest).errors;

    expect(issues).toEqual([
      expect.objectContaining({ pointer: '/connection/configSchema/required/0', suggestion: 'portalId' }),
    ]);
  });
});

describe('webhook checks', () => {
  it('rejects a route to an unknown object', () => {
    const manifest = loadCrmManifest();
    setAt(manifest, '/webhooks/routes/0/object', 'contact');

    const issues = validateManifest(manifest).errors;

    expect(issues).toEqual([
      expect.objectContaining({ pointer: '/webhooks/routes/0/object', keyword: 'semantic:unknownObject', suggestion: 'contacts' }),
    ]);
  });

  it('needs get for fetch routes', () => {
    const manifest = loadCrmManifest();
    removeAt(manifest, '/objects/deals/operations/get');

    const issues = validateManifest(manifest).errors;

    expect(issues).toEqual([expect.objectContaining({ pointer: '/webhooks/routes/2/action', keyword: 'semantic:missingGetOperation' })]);
  });

  it('rejects an unknown lookup setting', () => {
    const manifest = loadCrmManifest();
    setAt(manifest, '/webhooks/connectionLookup/configField', 'portal');

    const issues = validateManifest(manifest).errors;

    expect(issues).toEqual([
      expect.objectContaining({ pointer: '/webhooks/connectionLookup/configField', keyword: 'semantic:unknownConfigField' }),
    ]);
  });
});
