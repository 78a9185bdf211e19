import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';

import { LumioError } from '../errors/index.js';
import type { RecordField, RecordSchema } from '@lumio/plugin-sdk';

/** One invalid input parameter, named by its dot path from the action's input. */
export interface InputProblem {
  field: string;
  message: string;
}

// ajv-formats is CommonJS, so its default export arrives wrapped or not depending on the loader.
const addFormats = ((addFormatsPlugin as unknown as { default?: unknown }).default ?? addFormatsPlugin) as (ajv: Ajv2020) => Ajv2020;

const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true }));
const compiled = new WeakMap<RecordSchema, ReturnType<Ajv2020['compile']>>();

/**
 * Converts a manifest's input RecordSchema into a JSON Schema for the input object. A
 * RecordSchema has no `required` list, so a parameter is required unless its type allows
 * null, and parameters the action does not declare are rejected, because a misspelt
 * name would otherwise be dropped without a word.
 */
export function toInputJsonSchema(schema: RecordSchema): Record<string, unknown> {
  return toObjectSchema(schema.properties);
}

function toObjectSchema(properties: Record<string, RecordField>): Record<string, unknown> {
  const required = Object.entries(properties)
    .filter(([, field]) => !allowsNull(field))
    .map(([name]) => name);
  const converted = Object.fromEntries(Object.entries(properties).map(([name, field]) => [name, toFieldSchema(field)]));
  return { type: 'object', properties: converted, required, additionalProperties: false };
}

function toFieldSchema(field: RecordField): Record<string, unknown> {
  const schema: Record<string, unknown> = { type: field.type };
  if (field.format !== undefined) schema.format = field.format;
  if (field.description !== undefined) schema.description = field.description;
  if (field.items !== undefined) schema.items = toFieldSchema(field.items);
  if (field.properties !== undefined) Object.assign(schema, toObjectSchema(field.properties), { type: field.type });
  return schema;
}

function allowsNull(field: RecordField): boolean {
  return Array.isArray(field.type) ? field.type.includes('null') : field.type === 'null';
}

/** Checks an action's input and raises `ACTION_INPUT_INVALID` listing every invalid parameter. */
export function checkActionInput(connectorId: string, action: string, schema: RecordSchema, input: unknown): Record<string, unknown> {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(toInputJsonSchema(schema));
    compiled.set(schema, validate);
  }
  if (validate(input)) return input as Record<string, unknown>;

  const problems: InputProblem[] = (validate.errors ?? []).map((error) => {
    const base = error.instancePath.slice(1).replaceAll('/', '.');
    if (error.keyword === 'required') return { field: join(base, String(error.params.missingProperty)), message: 'is required.' };
    if (error.keyword === 'additionalProperties') {
      return { field: join(base, String(error.params.additionalProperty)), message: `is not a parameter of ${action}.` };
    }
    return { field: base || 'input', message: `${error.message ?? 'is invalid'}.` };
  });
  const summary = problems.map((problem) => `${problem.field} ${problem.message}`).join(' ');
  throw new LumioError('ACTION_INPUT_INVALID', `The input of action "${action}" of "${connectorId}" is invalid: ${summary}`, {
    status: 422,
    fault: 'caller',
    details: { problems, field: problems[0]?.field ?? 'input' },
  });
}

function join(base: string, name: string): string {
  return base === '' ? name : `${base}.${name}`;
}
