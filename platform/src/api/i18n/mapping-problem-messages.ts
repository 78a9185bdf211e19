import type { ApiLanguage } from './accept-language.js';

/** Field mapping problem as `MAPPING_INVALID` carries it in `details.problems`. */
interface CodedProblem {
  path: string;
  code: string;
  params: Record<string, string | number>;
  message: string;
}

type Params = Record<string, string | number>;

const KIND_NAMES: Record<string, string> = {
  string: 'texto',
  number: 'um número',
  integer: 'um número inteiro',
  boolean: 'true ou false',
  array: 'uma lista',
  object: 'um objeto',
  null: 'null',
  unknown: 'um valor desconhecido',
};

const FORMAT_NAMES: Record<string, string> = {
  'date-time': 'uma data e hora ISO 8601 com fuso',
  date: 'uma data AAAA-MM-DD',
  'local-date-time': 'uma data e hora local sem fuso',
};

const kindName = (kind: string | number | undefined) => KIND_NAMES[String(kind)] ?? String(kind);
const expectedKinds = (expected: string | number | undefined) => String(expected).split('|').map(kindName).join(' ou ');

const TYPE_HINTS: Record<string, (params: Params) => string> = {
  concat: () => 'adicione uma transformação concat para juntar os valores em um texto',
  'single-or-concat': () => 'leia um único valor ou junte os valores com uma transformação concat',
  convert: (params) => `adicione {"type": "convert", "to": "${String(params.expected)}"} como última transformação`,
  split: () => 'leia uma lista do provedor ou adicione uma transformação split',
  retarget: () => 'mapeie para um dos campos internos dele ou mude as transformações',
};

const suggest = (params: Params) => (params.suggestion === undefined ? '' : ` Você quis dizer "${params.suggestion}"?`);
const parentOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/'))) || '/';

/** Sentences for the schema keywords of `SCHEMA_INVALID`, from the value, property and suggestion at the path. */
const SCHEMA_SENTENCES: Record<string, (params: Params, path: string) => string> = {
  required: (params, path) => `Falta o parâmetro obrigatório "${params.property}" em "${path}".`,
  dependentRequired: (params, path) => `O parâmetro "${params.property}" é obrigatório em "${path}".`,
  additionalProperties: (params, path) => `"${params.property}" não é um parâmetro aceito em "${parentOf(path)}".${suggest(params)}`,
  enum: (params, path) => `O valor "${params.value}" não é aceito em "${path}".${suggest(params)}`,
  const: (params, path) => `O valor "${params.value}" não é aceito em "${path}".${suggest(params)}`,
  type: (_params, path) => `O valor em "${path}" tem o tipo errado.`,
};

/**
 * Portuguese sentences per problem code. A runtime problem keeps the mapping engine's English
 * detail after a Portuguese lead, because it only occurs after every other check passed.
 */
const PT_BR: Record<string, (params: Params, path: string) => string> = {
  DEFINITION_NOT_OBJECT: () => 'A definição deve ser um objeto JSON com "object", "canonicalObject" e "fields".',
  OBJECT_MISMATCH: (params) => `A definição mapeia "${params.object}", mas este endpoint salva o mapeamento de "${params.expected}"; use "object": "${params.expected}".`,
  CANONICAL_OBJECT_MISMATCH: (params) =>
    `Esta conexão guarda ${params.object} como registros ${params.expected}, então "canonicalObject" deve ser "${params.expected}"; outro objeto canônico misturaria dois tipos de registro.`,
  SCHEMA_INVALID: (params, path) => {
    const sentence = SCHEMA_SENTENCES[String(params.keyword)];
    if (sentence) return sentence(params, path);
    return `O valor em "${path}" é inválido.${suggest(params)}`;
  },
  UNKNOWN_TARGET: (params) => `O campo "${params.value}" não existe no esquema canônico.${suggest(params)}`,
  DUPLICATE_TARGET: (params) => `O campo "${params.value}" já é preenchido por outra regra; cada campo aceita uma regra só.`,
  ID_TARGET: () => 'O campo "id" não pode ser mapeado, porque o Lumio atribui os ids dos registros canônicos.',
  UNKNOWN_TIME_ZONE: (params) => `O fuso horário "${params.value}" não é um nome IANA conhecido.${suggest(params)}`,
  UNKNOWN_LOOKUP_FIELD: (params) => `O campo de busca "${params.value}" não existe no esquema canônico.${suggest(params)}`,
  UNKNOWN_CANONICAL_OBJECT: (params) => `Não há esquema canônico para "${params.value}".`,
  SOURCE_PATH_INVALID: (params) => `O caminho de origem "${params.source}" é inválido; use nomes separados por ponto, como "properties.email", e "[]" depois de uma lista.`,
  REQUIRED_FIELD_UNMAPPED: (params) => `O campo canônico "${params.field}" de ${params.canonicalObject} é obrigatório, mas nenhuma regra o preenche; adicione uma regra com target "${params.field}".`,
  TYPE_MISMATCH: (params) =>
    `A regra ${params.rule} grava ${kindName(params.written)} em "${params.field}", mas esse campo de ${params.canonicalObject} espera ${expectedKinds(params.expected)}; ${(TYPE_HINTS[String(params.hint)] ?? TYPE_HINTS.retarget!)(params)}.`,
  DATE_FORMAT_MISMATCH: (params) =>
    `A regra ${params.rule} grava ${FORMAT_NAMES[String(params.written)] ?? params.written} em "${params.field}", que deve receber ${FORMAT_NAMES[String(params.expected)] ?? params.expected}; use "to": "${params.to}" na transformação de data.`,
  VALUE_NOT_ALLOWED: (params) => `O valor ${params.value} não é permitido em "${params.field}"; use um destes: ${params.allowed}.`,
  RULE_INVALID: (params, path) => `A regra em "${path}" é inválida para o motor de mapeamento: ${params.detail}`,
};

/**
 * Rewrites each mapping problem's `message` in the request's language. English messages are
 * the ones the mapping checks wrote; a problem without a known code keeps its message.
 */
export function localizeMappingProblems(problems: unknown[], language: ApiLanguage): unknown[] {
  if (language === 'en') return problems;

  return problems.map((problem) => {
    if (!isCodedProblem(problem)) return problem;
    const describe = PT_BR[problem.code];
    return describe ? { ...problem, message: describe(problem.params, problem.path) } : problem;
  });
}

function isCodedProblem(value: unknown): value is CodedProblem {
  if (typeof value !== 'object' || value === null) return false;
  const problem = value as Partial<CodedProblem>;
  return typeof problem.code === 'string' && typeof problem.params === 'object' && problem.params !== null;
}
