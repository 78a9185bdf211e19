import type { ErrorObject } from 'ajv/dist/2020.js';

import { isSchemaObject } from '../json-schema/index.js';
import { describeLocation, describeType, describeValue, joinList, oneOfList, quote } from './describe-value.js';
import type { ManifestIssue } from './issue.js';
import { childPointer } from './json-pointer.js';
import { suggestClosest } from './levenshtein.js';

/** Phrases that name each `format` in messages. */
const FORMAT_NAMES: Record<string, string> = {
  uri: 'an absolute URI',
  'uri-reference': 'a URI or relative path',
  email: 'an e-mail address',
  hostname: 'a host name',
  date: 'a date (YYYY-MM-DD)',
  'date-time': 'an ISO 8601 date-time',
  regex: 'a valid regular expression',
};

/**
 * Turns one ajv error into an issue. `pointer` is the error's location in the whole
 * document, and `condition` describes the `if` that made a `then` requirement apply.
 */
export function formatSchemaError(error: ErrorObject, pointer: string, condition?: string): ManifestIssue {
  const label = describeLocation(pointer);
  const params = error.params as Record<string, unknown>;
  const parentSchema = isSchemaObject(error.parentSchema) ? error.parentSchema : {};

  switch (error.keyword) {
    case 'required': {
      const name = String(params.missingProperty);
      const suffix = condition === undefined ? '' : ` when ${condition}`;
      return { pointer, keyword: 'required', property: name, message: `Required property '${name}' is missing${suffix}.` };
    }
    case 'dependentRequired': {
      const name = String(params.missingProperty);
      const trigger = String(params.property);
      return { pointer, keyword: 'dependentRequired', property: name, message: `Property '${name}' is required when '${trigger}' is set.` };
    }
    case 'additionalProperties':
      return formatUnknownProperty(pointer, String(params.additionalProperty), parentSchema);
    case 'propertyNames':
      return formatInvalidKey(pointer, String(params.propertyName), parentSchema);
    case 'type': {
      const types = String(params.type).split(',');
      const expected = joinList(types.map(describeType));
      return { pointer, keyword: 'type', expected, message: `${label} must be ${expected}, but it is ${describeValue(error.data)}.` };
    }
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues : [];
      const suggestion = suggestValue(error.data, allowed);
      return {
        pointer,
        keyword: 'enum',
        expected: oneOfList(allowed),
        message: `${label} has the value ${quote(error.data)}, which is not allowed.`,
        ...(suggestion === undefined ? {} : { suggestion }),
      };
    }
    case 'const':
      return {
        pointer,
        keyword: 'const',
        expected: quote(params.allowedValue),
        message: `${label} must be ${quote(params.allowedValue)}, but it is ${describeValue(error.data)}.`,
      };
    case 'pattern':
      return {
        pointer,
        keyword: 'pattern',
        expected: `text matching ${String(params.pattern)}`,
        message: `${label} has the value ${quote(error.data)}, which does not match the required pattern.`,
      };
    case 'format': {
      const expected = FORMAT_NAMES[String(params.format)] ?? `format ${String(params.format)}`;
      return { pointer, keyword: 'format', expected, message: `${label} must be ${expected}, but it is ${describeValue(error.data)}.` };
    }
    default:
      return formatLimit(error, pointer, label);
  }
}

function formatUnknownProperty(pointer: string, name: string, parentSchema: Record<string, unknown>): ManifestIssue {
  const allowed = isSchemaObject(parentSchema.properties) ? Object.keys(parentSchema.properties) : [];
  const suggestion = suggestClosest(name, allowed);
  return {
    pointer: childPointer(pointer, name),
    keyword: 'additionalProperties',
    property: name,
    message: `Unknown property '${name}'.`,
    ...(suggestion === undefined ? { expected: oneOfList(allowed) } : { suggestion }),
  };
}

function formatInvalidKey(pointer: string, name: string, parentSchema: Record<string, unknown>): ManifestIssue {
  const rule = isSchemaObject(parentSchema.propertyNames) ? parentSchema.propertyNames.pattern : undefined;
  const pattern = typeof rule === 'string' ? new RegExp(rule, 'u') : undefined;

  // The usual mistake is capitalising or hyphenating a key ("Contacts", "sales-orders").
  const camelCase = name
    .trim()
    .replace(/[-\s]+(.)/g, (_, letter: string) => letter.toUpperCase())
    .replace(/^./, (letter) => letter.toLowerCase());
  const suggestion = pattern !== undefined && camelCase !== name && pattern.test(camelCase) ? camelCase : undefined;

  return {
    pointer: childPointer(pointer, name),
    keyword: 'propertyNames',
    message: `Key '${name}' is not a valid name here.`,
    ...(pattern === undefined ? {} : { expected: `a key matching ${String(rule)}` }),
    ...(suggestion === undefined ? {} : { suggestion }),
  };
}

function formatLimit(error: ErrorObject, pointer: string, label: string): ManifestIssue {
  const params = error.params as Record<string, unknown>;
  const limit = Number(params.limit);
  const plural = limit === 1 ? '' : 's';

  const expectations: Record<string, string> = {
    minimum: `be a number of at least ${limit}`,
    maximum: `be a number of at most ${limit}`,
    exclusiveMinimum: `be a number greater than ${limit}`,
    exclusiveMaximum: `be a number less than ${limit}`,
    minLength: `have at least ${limit} character${plural}`,
    maxLength: `have at most ${limit} character${plural}`,
    minItems: `have at least ${limit} item${plural}`,
    maxItems: `have at most ${limit} item${plural}`,
    minProperties: `have at least ${limit} propert${limit === 1 ? 'y' : 'ies'}`,
    maxProperties: `have at most ${limit} propert${limit === 1 ? 'y' : 'ies'}`,
  };
  const expectation = expectations[error.keyword];
  if (expectation !== undefined) {
    const isScalar = typeof error.data === 'number' || typeof error.data === 'string';
    const found = isScalar ? `, but it is ${describeValue(error.data)}` : '';
    return {
      pointer,
      keyword: error.keyword,
      expected: expectation.replace(/^(be|have) /, ''),
      message: `${label} must ${expectation}${found}.`,
    };
  }

  if (error.keyword === 'uniqueItems') {
    return {
      pointer,
      keyword: 'uniqueItems',
      message: `${label} lists the same value twice (items ${String(params.j)} and ${String(params.i)}).`,
    };
  }

  return {
    pointer,
    keyword: error.keyword,
    message: `${label} is invalid: it ${error.message ?? 'does not match the schema'}.`,
  };
}

function suggestValue(value: unknown, allowed: unknown[]): string | undefined {
  if (typeof value !== 'string') return undefined;
  return suggestClosest(
    value,
    allowed.filter((item): item is string => typeof item === 'string'),
  );
}
