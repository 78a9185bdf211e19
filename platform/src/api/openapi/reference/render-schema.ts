import type { SchemaObject } from '../builders.js';
import { escapeHtml, renderInline, schemaAnchor } from './html.js';

const REF_PREFIX = '#/components/schemas/';
/** Nested objects are drawn inline to this depth; deeper ones show only their type. */
const MAX_DEPTH = 3;

/** Renders a schema as a type line and, for objects, a table of its fields. */
export function renderSchema(schema: SchemaObject | undefined, depth = 0): string {
  if (!schema) return '';
  const fields = collectFields(schema);
  const line = `<div class="type">${typeLabel(schema)}</div>${schema.description ? `<div class="note">${renderInline(String(schema.description))}</div>` : ''}`;
  if (fields.length === 0 || depth >= MAX_DEPTH || typeof schema.$ref === 'string') return line;
  return `${line}${renderFields(fields, depth)}`;
}

interface Field {
  name: string;
  schema: SchemaObject;
  required: boolean;
}

/** Lists an object's own fields, or those of its list items when they are written inline. */
function collectFields(schema: SchemaObject): Field[] {
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const properties = (schema.properties ?? {}) as Record<string, SchemaObject>;
  const fields = Object.entries(properties).map(([name, property]) => ({ name, schema: property, required: required.has(name) }));

  const items = schema.items as SchemaObject | undefined;
  if (fields.length === 0 && items && typeof items.$ref !== 'string') return collectFields(items);
  return fields;
}

function renderFields(fields: Field[], depth: number): string {
  const rows = fields.map(
    (field) =>
      `<tr><td><code>${escapeHtml(field.name)}</code>${field.required ? ' <span class="required">required</span>' : ''}</td><td>${renderSchema(field.schema, depth + 1)}</td></tr>`,
  );
  return `<table class="fields"><tbody>${rows.join('')}</tbody></table>`;
}

/** Writes the type of a schema: references as links, lists, unions, enums, formats and limits. */
export function typeLabel(schema: SchemaObject): string {
  if (typeof schema.$ref === 'string') return refLink(schema.$ref);

  const parts: string[] = [];
  if (Array.isArray(schema.allOf)) parts.push((schema.allOf as SchemaObject[]).map(typeLabel).join(' and '));
  for (const keyword of ['oneOf', 'anyOf']) {
    if (Array.isArray(schema[keyword])) parts.push(`one of ${(schema[keyword] as SchemaObject[]).map(typeLabel).join(', ')}`);
  }

  let types: string[] = [];
  if (Array.isArray(schema.type)) types = schema.type as string[];
  else if (schema.type) types = [String(schema.type)];
  for (const type of types) parts.push(type === 'array' ? `list of ${schema.items ? typeLabel(schema.items as SchemaObject) : 'any'}` : escapeHtml(type));
  if (parts.length === 0) parts.push('any');

  const facts: string[] = [];
  if (schema.format) facts.push(`format ${escapeHtml(String(schema.format))}`);
  if (Array.isArray(schema.enum)) facts.push(`one of ${(schema.enum as unknown[]).map((value) => `<code>${escapeHtml(JSON.stringify(value))}</code>`).join(', ')}`);
  if (schema.const !== undefined) facts.push(`always <code>${escapeHtml(JSON.stringify(schema.const))}</code>`);
  if (schema.default !== undefined) facts.push(`default <code>${escapeHtml(JSON.stringify(schema.default))}</code>`);
  for (const keyword of ['minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'pattern']) {
    if (schema[keyword] !== undefined) facts.push(`${keyword} <code>${escapeHtml(String(schema[keyword]))}</code>`);
  }
  if (schema.additionalProperties === false) facts.push('no other fields');
  else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') facts.push(`values: ${typeLabel(schema.additionalProperties as SchemaObject)}`);

  return [parts.join(' or '), ...facts].join('; ');
}

function refLink(ref: string): string {
  const name = ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : ref;
  return `<a href="#${escapeHtml(schemaAnchor(name))}">${escapeHtml(name)}</a>`;
}
