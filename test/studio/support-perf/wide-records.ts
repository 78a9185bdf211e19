import type { RecordField, RecordSchema } from '@lumio/plugin-sdk';

// A provider object as wide as a busy CRM account. Its record schema declares 260 fields:
// nested objects two levels deep, arrays of strings and arrays of objects. The stored records
// also carry 40 account properties that the schema does not declare, so the catalogue lists
// 300 provider fields.

type Scalar = 'string' | 'number' | 'integer' | 'boolean' | 'date-time' | 'date';

const ADDRESS = ['street', 'number', 'complement', 'district', 'city', 'state', 'postalCode', 'country'];
const PROFILE = ['fullName', 'firstName', 'lastName', 'email', 'phone', 'mobile', 'whatsapp', 'jobTitle', 'department', 'seniority', 'language', 'timeZone', 'gender', 'nickname', 'website', 'linkedin', 'twitter', 'bio', 'photoUrl', 'taxId'];

/** Groups of generated fields, `<group>.<prefix>NN`, for the long tail of a provider's properties. */
const GENERATED: { group: string; prefix: string; count: number; type: Scalar }[] = [
  { group: 'marketing', prefix: 'attribute', count: 40, type: 'string' },
  { group: 'sales', prefix: 'attribute', count: 40, type: 'string' },
  { group: 'support', prefix: 'attribute', count: 40, type: 'string' },
  { group: 'metrics', prefix: 'value', count: 30, type: 'number' },
  { group: 'flags', prefix: 'flag', count: 20, type: 'boolean' },
  { group: 'dates', prefix: 'moment', count: 20, type: 'date-time' },
];

/** Fields the records carry under `accountProperties` and the record schema does not declare. */
export const UNDECLARED_FIELDS = 40;
export const DECLARED_FIELDS = 260;
export const PROVIDER_FIELDS = DECLARED_FIELDS + UNDECLARED_FIELDS;

function scalar(type: Scalar, description: string): RecordField {
  if (type === 'date-time' || type === 'date') return { type: 'string', format: type, description };
  return { type, description };
}

function objectOf(names: readonly string[], type: Scalar, subject: string): RecordField {
  return { type: 'object', description: subject, properties: Object.fromEntries(names.map((name) => [name, scalar(type, `${subject}: ${name}.`)])) };
}

function numbered(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${String(index + 1).padStart(2, '0')}`);
}

/** Builds the record schema of the wide `people` object. */
export function wideRecordSchema(): RecordSchema {
  const company = objectOf(['name', 'domain', 'industry', 'taxId', 'phone', 'website', 'ownerEmail'], 'string', 'Employer');
  company.properties = {
    ...company.properties,
    size: scalar('integer', 'Employees.'),
    revenue: scalar('number', 'Yearly revenue in reais.'),
    foundedYear: scalar('integer', 'Year the company was founded.'),
    address: objectOf(ADDRESS, 'string', 'Employer address'),
  };

  const properties: Record<string, RecordField> = {
    id: scalar('string', 'Person id.'),
    createdAt: scalar('date-time', 'Creation time.'),
    updatedAt: scalar('date-time', 'Time of the last change.'),
    archived: scalar('boolean', 'True when the person was archived.'),
    ownerId: scalar('string', 'Id of the seller who owns the person.'),
    profile: objectOf(PROFILE, 'string', 'Personal details'),
    address: objectOf(ADDRESS, 'string', 'Home address'),
    company,
    tags: { type: 'array', description: 'Labels.', items: { type: 'string' } },
    phones: arrayOfObjects('Phone numbers', { type: 'string', number: 'string', primary: 'boolean' }),
    emails: arrayOfObjects('E-mail addresses', { address: 'string', kind: 'string', verified: 'boolean' }),
    orders: arrayOfObjects('Recent orders', { id: 'string', total: 'number', currency: 'string', placedAt: 'date-time', status: 'string' }),
    consents: arrayOfObjects('Consents given', { channel: 'string', granted: 'boolean', at: 'date-time' }),
  };
  for (const { group, prefix, count, type } of GENERATED) properties[group] = objectOf(numbered(prefix, count), type, `${group} properties`);
  return { type: 'object', properties };
}

function arrayOfObjects(subject: string, fields: Record<string, Scalar>): RecordField {
  const properties = Object.fromEntries(Object.entries(fields).map(([name, type]) => [name, scalar(type, `${subject}: ${name}.`)]));
  return { type: 'array', description: `${subject}.`, items: { type: 'object', properties } };
}

/** Builds record number `index` (from 1) with a value in every declared field and every undeclared one. */
export function wideRecord(index: number): Record<string, unknown> {
  const moment = (offsetDays: number) => new Date(Date.UTC(2026, 0, 1 + offsetDays, 12, index % 60)).toISOString();
  const address = (label: string) => Object.fromEntries(ADDRESS.map((name) => [name, `${label} ${name} ${index}`]));
  const record: Record<string, unknown> = {
    id: `person_${String(index).padStart(4, '0')}`,
    createdAt: moment(index),
    updatedAt: moment(index + 30),
    archived: false,
    ownerId: `seller_${index % 7}`,
    profile: Object.fromEntries(PROFILE.map((name) => [name, name === 'email' ? ` Person.${index}@Example.com ` : `${name} ${index}`])),
    address: address('home'),
    company: { name: `Company ${index}`, domain: `company${index}.example.com`, industry: 'retail', taxId: `${10_000_000 + index}`, phone: `+55 11 4000-${1000 + index}`, website: `https://company${index}.example.com`, ownerEmail: `owner${index}@example.com`, size: 10 + index, revenue: index * 1_000.5, foundedYear: 1990 + (index % 30), address: address('office') },
    tags: ['customer', `segment-${index % 4}`],
    phones: [
      { type: 'mobile', number: `+55 11 9${String(index).padStart(8, '0')}`, primary: true },
      { type: 'work', number: `+55 11 3${String(index).padStart(7, '0')}`, primary: false },
    ],
    emails: [{ address: `person.${index}@example.com`, kind: 'work', verified: true }],
    orders: [{ id: `order_${index}`, total: index * 10.25, currency: 'BRL', placedAt: moment(index + 5), status: 'paid' }],
    consents: [{ channel: 'email', granted: index % 2 === 0, at: moment(index + 1) }],
    accountProperties: Object.fromEntries(numbered('custom', UNDECLARED_FIELDS).map((name) => [name, `${name} of ${index}`])),
  };

  for (const { group, prefix, count, type } of GENERATED) {
    record[group] = Object.fromEntries(numbered(prefix, count).map((name, position) => [name, sampleValue(type, index, position, moment)]));
  }
  return record;
}

function sampleValue(type: Scalar, index: number, position: number, moment: (offsetDays: number) => string): unknown {
  if (type === 'number' || type === 'integer') return index * 100 + position;
  if (type === 'boolean') return (index + position) % 2 === 0;
  if (type === 'date-time' || type === 'date') return moment(index + position);
  return `value ${position + 1} of ${index}`;
}
