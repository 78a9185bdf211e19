import type { FieldCatalog, TransformParameterSpec, TransformSpec } from './catalog.js';
import type { Transform } from './definition.js';

export const CANONICAL_OBJECTS = ['contact', 'company', 'deal', 'product', 'order', 'customer', 'message'];
export const DATE_INPUTS = ['iso8601', 'epochMilliseconds', 'epochSeconds', 'date'];
export const DATE_OUTPUTS = ['iso8601', 'date', 'epochMilliseconds', 'epochSeconds', 'localDateTime'];

/**
 * The parameters of each transform kind, as schemas/field-mapping.schema.json declares them.
 * The catalogue from the API takes precedence; these fill in a kind it does not list.
 */
const BUILT_IN: TransformSpec[] = [
  {
    name: 'date',
    parameters: [
      { name: 'from', type: 'string', required: true, options: DATE_INPUTS },
      { name: 'to', type: 'string', required: true, options: DATE_OUTPUTS },
      { name: 'timeZone', type: 'timeZone', required: false },
    ],
  },
  { name: 'case', parameters: [{ name: 'to', type: 'string', required: true, options: ['lower', 'upper', 'title'] }] },
  { name: 'trim', parameters: [] },
  { name: 'default', parameters: [{ name: 'value', type: 'scalar', required: true }] },
  {
    name: 'valueMap',
    parameters: [
      { name: 'map', type: 'map', required: true },
      { name: 'otherwise', type: 'string', required: false, options: ['keep', 'null'] },
    ],
  },
  {
    name: 'concat',
    parameters: [
      { name: 'separator', type: 'string', required: false },
      { name: 'skipEmpty', type: 'boolean', required: false },
    ],
  },
  {
    name: 'split',
    parameters: [
      { name: 'separator', type: 'string', required: true },
      { name: 'index', type: 'integer', required: false },
    ],
  },
  { name: 'convert', parameters: [{ name: 'to', type: 'string', required: true, options: ['string', 'number', 'integer', 'boolean'] }] },
  {
    name: 'lookup',
    parameters: [
      { name: 'canonicalObject', type: 'string', required: true, options: CANONICAL_OBJECTS },
      { name: 'field', type: 'string', required: false },
    ],
  },
];

/** Returns the parameters of a transform kind: the catalogue's, else the schema's, else none. */
export function transformSpec(type: string, catalog?: Pick<FieldCatalog, 'transforms'> | null): TransformSpec | undefined {
  return catalog?.transforms.find((spec) => spec.name === type) ?? BUILT_IN.find((spec) => spec.name === type);
}

export function knownTransformTypes(catalog?: Pick<FieldCatalog, 'transforms'> | null): string[] {
  const names = BUILT_IN.map((spec) => spec.name);
  for (const spec of catalog?.transforms ?? []) if (!names.includes(spec.name)) names.push(spec.name);
  return names;
}

/** Builds a new transform of a kind with the choices a person most often wants filled in. */
export function newTransform(type: string): Transform {
  switch (type) {
    case 'date':
      return { type: 'date', from: 'iso8601', to: 'iso8601' };
    case 'case':
      return { type: 'case', to: 'lower' };
    case 'convert':
      return { type: 'convert', to: 'string' };
    case 'valueMap':
      return { type: 'valueMap', map: {} };
    case 'concat':
      return { type: 'concat', separator: ' ' };
    case 'default':
      return { type: 'default', value: '' };
    case 'split':
      return { type: 'split', separator: ',' } as Transform;
    case 'lookup':
      return { type: 'lookup', canonicalObject: 'company' };
    default:
      return { type } as Transform;
  }
}

/** Lists the required parameters a transform lacks, per its spec. */
export function missingParameters(transform: Transform, spec: TransformSpec | undefined): TransformParameterSpec[] {
  const values = transform as unknown as Record<string, unknown>;
  return (spec?.parameters ?? []).filter((parameter) => {
    if (!parameter.required) return false;
    if (!Object.hasOwn(values, parameter.name)) return true;
    const value = values[parameter.name];
    // `default` may write null on purpose, so only text parameters count an empty value as missing.
    return value === undefined || (value === '' && parameter.type !== 'scalar');
  });
}
