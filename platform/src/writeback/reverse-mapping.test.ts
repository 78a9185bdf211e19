import type { FieldMapping, FieldRule } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';

import { LumioError } from '../errors/index.js';
import { applyMapping, compileMapping } from '../mapping/index.js';
import { applyReverseMapping, type ResolveExternalIds } from './apply-reverse-mapping.js';
import { compileReverseMapping } from './compile-reverse-mapping.js';

function mapping(fields: FieldRule[], canonicalObject: FieldMapping['canonicalObject'] = 'contact'): FieldMapping {
  return { object: 'contacts', canonicalObject, fields };
}

const noLookups: ResolveExternalIds = async () => new Map();

async function reverseOne(fields: FieldRule[], data: Record<string, unknown>, resolve = noLookups) {
  const [result] = await applyReverseMapping(compileReverseMapping(mapping(fields)), [data], resolve);
  return result as NonNullable<typeof result>;
}

describe('compileReverseMapping', () => {
  it('inverts simple source rules', () => {
    const reverse = compileReverseMapping(mapping([
      { target: 'firstName', source: 'properties.firstname', transforms: [{ type: 'trim' }] },
      { target: 'email', source: 'properties.email', transforms: [{ type: 'trim' }, { type: 'case', to: 'lower' }] },
    ]));

    expect(reverse.rules.map((rule) => [rule.canonicalPath, rule.providerPath])).toEqual([
      ['firstName', 'properties.firstname'],
      ['email', 'properties.email'],
    ]);
    expect(reverse.skipped).toEqual([]);
  });

  it('skips rules without an inverse', () => {
    const reverse = compileReverseMapping(mapping([
      { target: 'fullName', sources: ['properties.firstname', 'properties.lastname'], transforms: [{ type: 'concat' }] },
      { target: 'leadSource', constant: 'hubspot' },
      { target: 'jobTitle', source: 'properties.title', transforms: [{ type: 'split', separator: ',', index: 0 }] },
      { target: 'companyName', source: 'properties.company', transforms: [{ type: 'lookup', canonicalObject: 'company', field: 'name' }] },
      { target: 'tags', source: 'items[].label' },
      { target: 'updatedAt', source: 'properties.lastmodifieddate' },
    ]));

    expect(reverse.rules).toEqual([]);
    expect(reverse.skipped.map((rule) => rule.canonicalPath)).toEqual(['fullName', 'leadSource', 'jobTitle', 'companyName', 'tags', 'updatedAt']);
    expect(reverse.skipped[0]?.reason).toContain('several provider fields');
    expect(reverse.skipped[1]?.reason).toContain('constant');
    expect(reverse.skipped[2]?.reason).toContain('split');
    expect(reverse.skipped[5]?.reason).toContain('provider sets it');
  });

  it('keeps the first rule for a provider field', () => {
    const reverse = compileReverseMapping(mapping([
      { target: 'email', source: 'properties.email' },
      { target: 'ownerEmail', source: 'properties.email' },
    ]));

    expect(reverse.rules.map((rule) => rule.canonicalPath)).toEqual(['email']);
    expect(reverse.skipped[0]?.reason).toContain('rule 0 already writes properties.email');
  });

  it('uses a declared reverse', () => {
    const fullName = {
      target: 'fullName',
      sources: ['properties.firstname', 'properties.lastname'],
      transforms: [{ type: 'concat' }],
      reverse: [
        { target: 'properties.firstname', transforms: [{ type: 'split', separator: ' ', index: 0 }] },
        { target: 'properties.lastname', transforms: [{ type: 'split', separator: ' ', index: -1 }] },
      ],
    } as FieldRule;
    const reverse = compileReverseMapping(mapping([fullName, { target: 'email', source: 'properties.email', reverse: false } as FieldRule]));

    expect(reverse.rules.map((rule) => [rule.canonicalPath, rule.providerPath, rule.declared])).toEqual([
      ['fullName', 'properties.firstname', true],
      ['fullName', 'properties.lastname', true],
    ]);
    expect(reverse.skipped).toEqual([{ ruleIndex: 1, canonicalPath: 'email', reason: 'its mapping rule turns write-back off' }]);
  });

  it('rejects a malformed reverse', () => {
    const bad = [
      { target: 'email', source: 'properties.email', reverse: 'yes' },
      { target: 'email', sources: ['a', 'b'], reverse: {} },
      { target: 'email', source: 'properties.email', reverse: { target: 'items[].x' } },
      { target: 'email', source: 'properties.email', reverse: { transforms: 'trim' } },
    ] as unknown as FieldRule[];
    for (const rule of bad) {
      expect(() => compileReverseMapping(mapping([rule])), JSON.stringify(rule)).toThrow(LumioError);
    }
  });
});

describe('applyReverseMapping', () => {
  it('writes only the fields given', async () => {
    const result = await reverseOne(
      [
        { target: 'firstName', source: 'properties.firstname' },
        { target: 'email', source: 'properties.email' },
        { target: 'address.city', source: 'properties.city' },
        { target: 'address.state', source: 'properties.state' },
      ],
      { email: 'ana@example.com', address: { city: 'Recife' } },
    );

    expect(result.payload).toEqual({ properties: { email: 'ana@example.com', city: 'Recife' } });
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('inverts value maps deterministically', async () => {
    const fields: FieldRule[] = [
      { target: 'address.country', source: 'properties.country', transforms: [{ type: 'valueMap', map: { Brazil: 'BR', Brasil: 'BR', Portugal: 'PT', PT: 'PT' }, otherwise: 'null' }] },
    ];
    const reordered: FieldRule[] = [
      { target: 'address.country', source: 'properties.country', transforms: [{ type: 'valueMap', map: { PT: 'PT', Brasil: 'BR', Portugal: 'PT', Brazil: 'BR' }, otherwise: 'null' }] },
    ];

    expect((await reverseOne(fields, { address: { country: 'BR' } })).payload).toEqual({ properties: { country: 'Brasil' } });
    expect((await reverseOne(reordered, { address: { country: 'BR' } })).payload).toEqual({ properties: { country: 'Brasil' } });
    // A provider value equal to the canonical one wins over smaller ones.
    expect((await reverseOne(fields, { address: { country: 'PT' } })).payload).toEqual({ properties: { country: 'PT' } });
    expect((await reverseOne(reordered, { address: { country: 'PT' } })).payload).toEqual({ properties: { country: 'PT' } });

    const unknown = await reverseOne(fields, { address: { country: 'ZZ' } });
    expect(unknown.payload).toEqual({});
    expect(unknown.problems).toHaveLength(1);
    expect(unknown.problems[0]?.field).toBe('address.country');
    expect(unknown.problems[0]?.message).toContain('"ZZ"');
  });

  it('keeps unmapped values with otherwise keep', async () => {
    const fields: FieldRule[] = [{ target: 'lifecycleStage', source: 'properties.stage', transforms: [{ type: 'valueMap', map: { mql: 'marketingQualifiedLead' } }] }];

    expect((await reverseOne(fields, { lifecycleStage: 'marketingQualifiedLead' })).payload).toEqual({ properties: { stage: 'mql' } });
    expect((await reverseOne(fields, { lifecycleStage: 'lead' })).payload).toEqual({ properties: { stage: 'lead' } });
  });

  it('swaps date formats', async () => {
    const fields: FieldRule[] = [
      { target: 'birthDate', source: 'birth_ms', transforms: [{ type: 'date', from: 'epochMilliseconds', to: 'date', timeZone: 'America/Sao_Paulo' }] },
    ];
    const result = await reverseOne(fields, { birthDate: '1990-05-20' });

    // Midnight in São Paulo (UTC-3 in 1990 May) is 03:00 UTC.
    expect(result.payload).toEqual({ birth_ms: Date.UTC(1990, 4, 20, 3, 0, 0) });

    const bad = await reverseOne(fields, { birthDate: 'May 20' });
    expect(bad.problems[0]?.field).toBe('birthDate');
  });

  it('round-trips through the forward mapping', async () => {
    const fields: FieldRule[] = [
      { target: 'email', source: 'properties.email', transforms: [{ type: 'trim' }, { type: 'case', to: 'lower' }] },
      { target: 'createdAt', source: 'properties.createdate', transforms: [{ type: 'date', from: 'iso8601', to: 'iso8601' }] },
      { target: 'tags', source: 'properties.tags', transforms: [{ type: 'split', separator: ';' }] },
      { target: 'lifecycleStage', source: 'properties.lifecyclestage', transforms: [{ type: 'valueMap', map: { lead: 'lead', customer: 'customer' }, otherwise: 'null' }] },
    ];
    const canonical = { email: 'ana@example.com', tags: ['vip', 'sp'], lifecycleStage: 'customer' };

    const reversed = await reverseOne(fields, canonical);
    const [forward] = await applyMapping(compileMapping(mapping(fields)), [reversed.payload]);

    expect(reversed.payload).toEqual({ properties: { email: 'ana@example.com', tags: 'vip;sp', lifecyclestage: 'customer' } });
    expect(forward?.data).toMatchObject(canonical);
  });

  it('replaces record ids with external ids', async () => {
    const fields: FieldRule[] = [{ target: 'companyId', source: 'properties.company_id', transforms: [{ type: 'lookup', canonicalObject: 'company' }] }];
    const resolve: ResolveExternalIds = async (canonicalObject, ids) => {
      expect(canonicalObject).toBe('company');
      return new Map(ids.filter((id) => id === 'rec_known').map((id) => [id, '9001']));
    };

    expect((await reverseOne(fields, { companyId: 'rec_known' }, resolve)).payload).toEqual({ properties: { company_id: '9001' } });

    const missing = await reverseOne(fields, { companyId: 'rec_other' }, resolve);
    expect(missing.payload).toEqual({});
    expect(missing.problems[0]?.message).toContain('"rec_other"');
  });

  it('warns about fields it does not write', async () => {
    const result = await reverseOne(
      [
        { target: 'fullName', sources: ['properties.firstname', 'properties.lastname'], transforms: [{ type: 'concat' }] },
        { target: 'email', source: 'properties.email' },
      ],
      { fullName: 'Ana Souza', email: 'ana@example.com', whatsapp: '+5511987654321' },
    );

    expect(result.payload).toEqual({ properties: { email: 'ana@example.com' } });
    expect(result.warnings.map((warning) => warning.field)).toEqual(['fullName', 'whatsapp']);
    expect(result.warnings[0]?.message).toContain('combines several provider fields');
    expect(result.warnings[1]?.message).toContain('no rule');
  });

  it('maps several records in order', async () => {
    const reverse = compileReverseMapping(mapping([{ target: 'email', source: 'properties.email' }]));
    const results = await applyReverseMapping(reverse, [{ email: 'a@example.com' }, {}, { email: 'c@example.com' }], noLookups);

    expect(results.map((result) => result.payload)).toEqual([{ properties: { email: 'a@example.com' } }, {}, { properties: { email: 'c@example.com' } }]);
  });
});
