import { describe, expect, it } from 'vitest';

import { getAt, loadCrmManifest, removeAt, renameAt, setAt } from './fixtures/manifest-fixture.js';
import type { ManifestIssue, ValidationResult } from './issue.js';
import { validateManifest } from './validate-manifest.js';

const LIST = '/objects/contacts/operations/list';

function issuesAt(result: ValidationResult, pointer: string): ManifestIssue[] {
  return result.errors.filter((issue) => issue.pointer === pointer);
}

describe('validateManifest', () => {
  it('accepts the sample manifest', () => {
    const result = validateManifest(loadCrmManifest());
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists misspelling, type and object issues', () => {
    const manifest = loadCrmManifest();
    renameAt(manifest, `${LIST}/pagination`, 'pagniation');
    setAt(manifest, `${LIST}/maxPages`, '100');
    setAt(manifest, '/mappings/0/object', 'contact');

    const result = validateManifest(manifest);

    expect(result.valid).toBe(false);
    expect(result.errors.map((issue) => issue.pointer).sort()).toEqual(
      ['/mappings/0/object', `${LIST}/maxPages`, `${LIST}/pagniation`].sort(),
    );
    const [misspelt] = issuesAt(result, `${LIST}/pagniation`);
    expect(misspelt).toMatchObject({ keyword: 'additionalProperties', suggestion: 'pagination' });
    expect(misspelt?.message).toBe("Unknown property 'pagniation'.");
    const [wrongType] = issuesAt(result, `${LIST}/maxPages`);
    expect(wrongType).toMatchObject({ keyword: 'type', expected: 'an integer' });
    expect(wrongType?.message).toContain('the string "100"');
    const [unknownObject] = issuesAt(result, '/mappings/0/object');
    expect(unknownObject).toMatchObject({ keyword: 'semantic:unknownObject', suggestion: 'contacts' });
  });

  it('reports only the selected union branch', () => {
    const manifest = loadCrmManifest();
    setAt(manifest, '/auth/1', { type: 'bearer', credentialFeld: 'token' });

    const result = validateManifest(manifest);

    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ pointer: '/auth/1/credentialFeld', suggestion: 'credentialField' });
  });

  it('suggests a close discriminant value', () => {
    const manifest = loadCrmManifest();
    setAt(manifest, '/auth/0/type', 'oauth2AuthorizationCod');

    const result = validateManifest(manifest);

    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ pointer: '/auth/0/type', keyword: 'enum', suggestion: 'oauth2AuthorizationCode' });
    expect(result.errors[0]?.expected).toContain("'apiKey'");
  });

  it('narrows unions nested in branches', () => {
    const manifest = loadCrmManifest();
    setAt(manifest, `${LIST}/pagination/in`, 'header');
    setAt(manifest, '/mappings/0/fields/3/transforms/1', { type: 'case', to: 'camel' });

    const result = validateManifest(manifest);

    expect(result.errors.map((issue) => issue.pointer)).toEqual([
      `${LIST}/pagination/in`,
      '/mappings/0/fields/3/transforms/1/to',
    ]);
    expect(result.errors.every((issue) => issue.keyword === 'enum')).toBe(true);
  });

  it('reports a missing discriminant', () => {
    const manifest = loadCrmManifest();
    removeAt(manifest, `${LIST}/pagination/type`);

    const result = validateManifest(manifest);

    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ pointer: `${LIST}/pagination`, keyword: 'required' });
    expect(result.errors[0]?.message).toContain("'type'");
  });

  it('reports a non-object union member', () => {
    const manifest = loadCrmManifest();
    setAt(manifest, '/auth/1', 'bearer');

    const result = validateManifest(manifest);

    expect(result.errors).toEqual([
      expect.objectContaining({ pointer: '/auth/1', keyword: 'type', expected: 'an object' }),
    ]);
  });

  it('explains record field types', () => {
    const fields = '/objects/deals/recordSchema/properties';
    const manifest = loadCrmManifest();
    setAt(manifest, `${fields}/id/type`, 'strin');
    setAt(manifest, `${fields}/archived/type`, 3);
    setAt(manifest, `${fields}/properties/properties/amount/type`, ['string', 'nul']);

    const result = validateManifest(manifest);

    expect(result.errors).toEqual([
      expect.objectContaining({ pointer: `${fields}/id/type`, keyword: 'enum', suggestion: 'string' }),
      expect.objectContaining({ pointer: `${fields}/properties/properties/amount/type/1`, keyword: 'enum', suggestion: 'null' }),
      expect.objectContaining({ pointer: `${fields}/archived/type`, keyword: 'type', expected: 'a string or an array' }),
    ]);
  });

  it('explains a conditional requirement', () => {
    const manifest = loadCrmManifest();
    removeAt(manifest, '/rateLimits/budgets/1/endpointGroup');

    const result = validateManifest(manifest);

    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.pointer).toBe('/rateLimits/budgets/1');
    expect(result.errors[0]?.message).toBe("Required property 'endpointGroup' is missing when 'scope' is 'endpointGroup'.");
  });

  it('requires flagPath for the flag strategy', () => {
    const manifest = loadCrmManifest();
    removeAt(manifest, '/objects/deals/deletions/flagPath');

    const result = validateManifest(manifest);

    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.message).toContain("'flagPath' is missing when 'strategy' is 'flag'");
  });

  it('requires one source per field rule', () => {
    const manifest = loadCrmManifest();
    setAt(manifest, '/mappings/0/fields/0/constant', 'Ana');
    removeAt(manifest, '/mappings/0/fields/4/source');

    const result = validateManifest(manifest);

    expect(result.errors.map((issue) => [issue.pointer, issue.keyword])).toEqual([
      ['/mappings/0/fields/0', 'oneOf'],
      ['/mappings/0/fields/4', 'oneOf'],
    ]);
    expect(result.errors[0]?.message).toContain("has 'source' and 'constant'");
    expect(result.errors[1]?.message).toContain('has none');
  });

  it('names a dependent requirement', () => {
    const manifest = loadCrmManifest();
    removeAt(manifest, '/retry/bodyRules/0/when/bodyPath');

    const result = validateManifest(manifest);

    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ pointer: '/retry/bodyRules/0/when', keyword: 'dependentRequired' });
    expect(result.errors[0]?.message).toBe("Property 'bodyPath' is required when 'equals' is set.");
  });

  it('suggests a valid object key', () => {
    const manifest = loadCrmManifest();
    renameAt(manifest, '/objects/deals', 'Sales-Deals');

    const result = validateManifest(manifest);
    const [issue] = issuesAt(result, '/objects/Sales-Deals');

    expect(issue).toMatchObject({ keyword: 'propertyNames', suggestion: 'salesDeals' });
    expect(issue?.expected).toContain('^[a-z][a-zA-Z0-9_]*$');
  });

  it('suggests a close enum value', () => {
    const manifest = loadCrmManifest();
    setAt(manifest, '/category', 'crn');

    const [issue] = validateManifest(manifest).errors;

    expect(issue).toMatchObject({ pointer: '/category', keyword: 'enum', suggestion: 'crm' });
    expect(issue?.message).toBe("'category' has the value 'crn', which is not allowed.");
  });

  it('describes formats and limits', () => {
    const manifest = loadCrmManifest();
    setAt(manifest, '/documentationUrl', 'not a url');
    setAt(manifest, '/rateLimits/budgets/0/limit', 0);

    const result = validateManifest(manifest);

    expect(issuesAt(result, '/documentationUrl')[0]).toMatchObject({ keyword: 'format', expected: 'an absolute URI' });
    expect(issuesAt(result, '/rateLimits/budgets/0/limit')[0]?.message).toBe(
      "'limit' must be a number of at least 1, but it is the number 0.",
    );
  });

  it('rejects a non-object document', () => {
    for (const value of [[], null, 'manifest', 3]) {
      const result = validateManifest(value);
      expect(result.errors).toEqual([expect.objectContaining({ pointer: '', keyword: 'type', expected: 'an object' })]);
    }
  });

  it('lists missing root properties', () => {
    const result = validateManifest({ manifestVersion: 1 });
    const missing = result.errors.filter((issue) => issue.keyword === 'required').map((issue) => issue.message);

    expect(missing).toContain("Required property 'connection' is missing.");
    expect(missing).toHaveLength(8);
  });

  it('orders issues like the document', () => {
    const manifest = loadCrmManifest();
    setAt(manifest, '/mappings/1/fields/0/target', 'nome');
    setAt(manifest, '/id', 'Hub Spot');
    setAt(manifest, '/objects/deals/primaryKey', 7);

    const pointers = validateManifest(manifest).errors.map((issue) => issue.pointer);

    expect(pointers).toEqual(['/id', '/objects/deals/primaryKey', '/mappings/1/fields/0/target']);
  });

  it('removes duplicate issues', () => {
    const manifest = loadCrmManifest();
    setAt(manifest, `${LIST}/path`, '/crm/{{ config.nope }}/{{ config.nope }}');

    const result = validateManifest(manifest);

    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.pointer).toBe(`${LIST}/path`);
  });

  it('leaves the input unchanged', () => {
    const manifest = loadCrmManifest();
    setAt(manifest, '/category', 'crn');
    const before = JSON.stringify(manifest);

    validateManifest(manifest);

    expect(JSON.stringify(manifest)).toBe(before);
    expect(getAt(manifest, '/category')).toBe('crn');
  });
});
