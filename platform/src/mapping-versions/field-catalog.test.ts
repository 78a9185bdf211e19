import { fieldMappingSchema } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';

import { findCanonicalField, listCanonicalFields } from './canonical-fields.js';
import { listSchemaFields, listSeenFields, mergeProviderFields } from './provider-fields.js';
import { TRANSFORM_CATALOG } from './transform-catalog.js';

type Node = Record<string, any>;

/** Reads the transform definitions of field-mapping.schema.json, keyed by their `type` constant. */
function schemaTransforms(): Map<string, Node> {
  const definitions = (fieldMappingSchema as Node).$defs as Record<string, Node>;
  const refs = (definitions.Transform?.oneOf as Node[]).map((entry) => String(entry.$ref).split('/').at(-1) as string);
  return new Map(refs.map((name) => [definitions[name]?.properties.type.const as string, definitions[name] as Node]));
}

describe('transform catalog', () => {
  it('matches the mapping schema', () => {
    const transforms = schemaTransforms();
    expect(TRANSFORM_CATALOG.map((transform) => transform.name)).toEqual([...transforms.keys()]);

    for (const transform of TRANSFORM_CATALOG) {
      const schema = transforms.get(transform.name) as Node;
      const declared = Object.keys(schema.properties).filter((name) => name !== 'type');
      const required = (schema.required as string[]).filter((name) => name !== 'type');
      expect(transform.parameters.map((parameter) => parameter.name), transform.name).toEqual(declared);
      expect(transform.parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name), transform.name).toEqual(required);

      for (const parameter of transform.parameters) {
        const options = schema.properties[parameter.name].enum ?? schema.properties[parameter.name].$ref;
        if (Array.isArray(options)) expect(parameter.options, `${transform.name}.${parameter.name}`).toEqual(options);
      }
    }
  });

  it('labels every option in both languages', () => {
    for (const transform of TRANSFORM_CATALOG) {
      for (const text of [transform.label, transform.description, ...transform.parameters.map((parameter) => parameter.label)]) {
        expect(text['pt-BR'].length, transform.name).toBeGreaterThan(0);
        expect(text.en.length, transform.name).toBeGreaterThan(0);
      }
      for (const parameter of transform.parameters.filter((candidate) => candidate.optionLabels)) {
        expect(Object.keys(parameter.optionLabels ?? {})).toEqual(parameter.options);
      }
    }
  });
});

describe('canonical fields', () => {
  it('flattens nested and array fields', () => {
    const order = listCanonicalFields('order');
    const names = order.map((field) => field.name);

    expect(names).toContain('shippingAddress.postalCode');
    expect(names).toContain('lineItems[].sku');
    expect(order.find((field) => field.name === 'lineItems')).toMatchObject({ type: 'array', items: 'object' });
    expect(order.find((field) => field.name === 'total')).toMatchObject({ type: 'number', required: true });
    expect(order.find((field) => field.name === 'lineItems[].name')?.required).toBe(false);
    expect(names).not.toContain('shippingAddress');
  });

  it('finds custom field keys', () => {
    expect(findCanonicalField('contact', 'customFields.cpf')).toMatchObject({ type: 'string|number|boolean' });
    expect(findCanonicalField('contact', 'customFields.a.b')).toBeUndefined();
    expect(findCanonicalField('contact', 'nickname')).toBeUndefined();
    expect(listCanonicalFields('planet')).toEqual([]);
  });
});

describe('provider fields', () => {
  const recordSchema = {
    type: 'object',
    properties: {
      id: { type: 'string' },
      'bad key': { type: 'string' },
      customer: { type: 'object', properties: { name: { type: ['string', 'null'] } } },
      items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } } } },
    },
  };

  it('lists declared fields', () => {
    expect(listSchemaFields(recordSchema)).toEqual([
      { path: 'id', type: 'string', source: 'schema', isArray: false },
      { path: 'customer.name', type: 'string', source: 'schema', isArray: false },
      { path: 'items', type: 'array', source: 'schema', isArray: true },
      { path: 'items[].sku', type: 'string', source: 'schema', isArray: true },
    ]);
  });

  it('lists seen fields by most frequent type', () => {
    const seen = listSeenFields([
      { id: '1', extra: null, score: 1, meta: {} },
      { id: '2', extra: 'x', score: '2', nested: { deep: [1, 2] } },
      JSON.parse('{"id": "3", "score": 3, "__proto__": {"polluted": true}, "constructor": 1}'),
    ]);

    expect(seen).toEqual([
      { path: 'extra', type: 'string', source: 'seen', isArray: false },
      { path: 'id', type: 'string', source: 'seen', isArray: false },
      { path: 'meta', type: 'object', source: 'seen', isArray: false },
      { path: 'nested.deep', type: 'array', source: 'seen', isArray: true },
      { path: 'score', type: 'number', source: 'seen', isArray: false },
    ]);
  });

  it('keeps declared fields first', () => {
    const merged = mergeProviderFields(listSchemaFields(recordSchema), listSeenFields([{ id: '1', zeta: true, customer: { name: 'Ana' } }]));
    expect(merged.map((field) => [field.path, field.source])).toEqual([
      ['id', 'schema'],
      ['customer.name', 'schema'],
      ['items', 'schema'],
      ['items[].sku', 'schema'],
      ['zeta', 'seen'],
    ]);
  });
});
