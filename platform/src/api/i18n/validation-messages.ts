import type { ApiLanguage } from './accept-language.js';

/** One way a request body breaks its schema, as the problem body's `errors` lists it. */
export interface ValidationIssue {
  /** JSON pointer (RFC 6901) of the value in the request body; "" is the whole body. */
  field: string;
  /** Stable code of the kind of problem, such as FIELD_REQUIRED. */
  code: string;
  /** The JSON Schema keyword that failed, such as `required` or `type`. */
  keyword: string;
  /** The keyword's parameters: the allowed values, the limit, the expected types. */
  params: Record<string, unknown>;
}

type Describe = (field: string, params: Record<string, unknown>) => string;

interface KeywordMessages {
  code: string;
  en: Describe;
  'pt-BR': Describe;
}

const TYPE_NAMES: Record<string, Record<ApiLanguage, string>> = {
  string: { en: 'a string', 'pt-BR': 'um texto' },
  integer: { en: 'a whole number', 'pt-BR': 'um número inteiro' },
  number: { en: 'a number', 'pt-BR': 'um número' },
  boolean: { en: 'true or false', 'pt-BR': 'true ou false' },
  object: { en: 'an object', 'pt-BR': 'um objeto' },
  array: { en: 'a list', 'pt-BR': 'uma lista' },
  null: { en: 'null', 'pt-BR': 'null' },
};

function typeNames(params: Record<string, unknown>, language: ApiLanguage): string {
  const types = String(params.type ?? '').split(',');
  const names = types.map((type) => TYPE_NAMES[type]?.[language] ?? type);
  return names.join(language === 'en' ? ' or ' : ' ou ');
}

function listValues(params: Record<string, unknown>): string {
  const values = Array.isArray(params.allowedValues) ? params.allowedValues : [params.allowedValue];
  return values.map((value) => JSON.stringify(value)).join(', ');
}

const limit = (params: Record<string, unknown>) => String(params.limit);

/** Sentences per JSON Schema keyword; a keyword missing here gets the `fallback` sentences. */
const KEYWORD_MESSAGES: Record<string, KeywordMessages> = {
  required: {
    code: 'FIELD_REQUIRED',
    en: (field) => `${field} is required.`,
    'pt-BR': (field) => `${field} é obrigatório.`,
  },
  additionalProperties: {
    code: 'FIELD_UNKNOWN',
    en: (field) => `${field} is not a field of this request; the reference at /v1/docs lists the accepted fields.`,
    'pt-BR': (field) => `${field} não é um campo desta requisição; a referência em /v1/docs lista os campos aceitos.`,
  },
  type: {
    code: 'FIELD_TYPE_INVALID',
    en: (field, params) => `${field} must be ${typeNames(params, 'en')}.`,
    'pt-BR': (field, params) => `${field} deve ser ${typeNames(params, 'pt-BR')}.`,
  },
  enum: {
    code: 'FIELD_VALUE_NOT_ALLOWED',
    en: (field, params) => `${field} must be one of ${listValues(params)}.`,
    'pt-BR': (field, params) => `${field} deve ser um destes valores: ${listValues(params)}.`,
  },
  const: {
    code: 'FIELD_VALUE_NOT_ALLOWED',
    en: (field, params) => `${field} must be ${listValues(params)}.`,
    'pt-BR': (field, params) => `${field} deve ser ${listValues(params)}.`,
  },
  minLength: {
    code: 'FIELD_OUT_OF_RANGE',
    en: (field, params) => `${field} must have at least ${limit(params)} characters.`,
    'pt-BR': (field, params) => `${field} deve ter pelo menos ${limit(params)} caracteres.`,
  },
  maxLength: {
    code: 'FIELD_OUT_OF_RANGE',
    en: (field, params) => `${field} must have at most ${limit(params)} characters.`,
    'pt-BR': (field, params) => `${field} deve ter no máximo ${limit(params)} caracteres.`,
  },
  minItems: {
    code: 'FIELD_OUT_OF_RANGE',
    en: (field, params) => `${field} must have at least ${limit(params)} entries.`,
    'pt-BR': (field, params) => `${field} deve ter pelo menos ${limit(params)} itens.`,
  },
  maxItems: {
    code: 'FIELD_OUT_OF_RANGE',
    en: (field, params) => `${field} must have at most ${limit(params)} entries.`,
    'pt-BR': (field, params) => `${field} deve ter no máximo ${limit(params)} itens.`,
  },
  minimum: {
    code: 'FIELD_OUT_OF_RANGE',
    en: (field, params) => `${field} must be at least ${limit(params)}.`,
    'pt-BR': (field, params) => `${field} deve ser no mínimo ${limit(params)}.`,
  },
  maximum: {
    code: 'FIELD_OUT_OF_RANGE',
    en: (field, params) => `${field} must be at most ${limit(params)}.`,
    'pt-BR': (field, params) => `${field} deve ser no máximo ${limit(params)}.`,
  },
  exclusiveMinimum: {
    code: 'FIELD_OUT_OF_RANGE',
    en: (field, params) => `${field} must be greater than ${limit(params)}.`,
    'pt-BR': (field, params) => `${field} deve ser maior que ${limit(params)}.`,
  },
  exclusiveMaximum: {
    code: 'FIELD_OUT_OF_RANGE',
    en: (field, params) => `${field} must be less than ${limit(params)}.`,
    'pt-BR': (field, params) => `${field} deve ser menor que ${limit(params)}.`,
  },
  format: {
    code: 'FIELD_FORMAT_INVALID',
    en: (field, params) => `${field} must be a valid ${String(params.format)}.`,
    'pt-BR': (field, params) => `${field} deve estar no formato ${String(params.format)}.`,
  },
  pattern: {
    code: 'FIELD_FORMAT_INVALID',
    en: (field, params) => `${field} must match the pattern ${String(params.pattern)}.`,
    'pt-BR': (field, params) => `${field} deve seguir o padrão ${String(params.pattern)}.`,
  },
};

const FALLBACK: KeywordMessages = {
  code: 'FIELD_INVALID',
  en: (field) => `${field} does not match the schema of this field; the reference at /v1/docs describes it.`,
  'pt-BR': (field) => `${field} não segue o esquema deste campo; a referência em /v1/docs o descreve.`,
};

/** Returns the stable code of a failed JSON Schema keyword. */
export function issueCode(keyword: string): string {
  return (KEYWORD_MESSAGES[keyword] ?? FALLBACK).code;
}

/** Writes one sentence about an issue in the given language, naming the field by its JSON pointer. */
export function describeIssue(issue: ValidationIssue, language: ApiLanguage): string {
  const messages = KEYWORD_MESSAGES[issue.keyword] ?? FALLBACK;
  let field = issue.field;
  if (field === '') field = language === 'en' ? 'The request body' : 'O corpo da requisição';
  return messages[language](field, issue.params);
}
