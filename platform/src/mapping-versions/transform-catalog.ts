import { CANONICAL_OBJECTS } from './canonical-fields.js';

/** Text in the studio's two languages. */
export interface LocalizedText {
  'pt-BR': string;
  en: string;
}

/**
 * Kind of value a transform parameter takes: `enum` (one of `options`), `string`,
 * `boolean`, `integer`, `scalar` (text, number, boolean or null), `map` (an object of
 * input text to scalar output) or `timeZone` (an IANA name such as "America/Sao_Paulo").
 */
export type TransformParameterType = 'enum' | 'string' | 'boolean' | 'integer' | 'scalar' | 'map' | 'timeZone';

export interface TransformParameter {
  name: string;
  type: TransformParameterType;
  required: boolean;
  label: LocalizedText;
  /** Allowed values of an `enum` parameter. */
  options?: string[];
  /** Labels of the `options`, by value. */
  optionLabels?: Record<string, LocalizedText>;
  /** Value the runtime uses when the parameter is left out. */
  default?: unknown;
  /** When the parameter is needed although `required` is false. */
  requiredWhen?: LocalizedText;
}

export interface TransformDescription {
  /** The transform's `type` in a field rule. */
  name: string;
  label: LocalizedText;
  description: LocalizedText;
  parameters: TransformParameter[];
}

function text(ptBR: string, en: string): LocalizedText {
  return { 'pt-BR': ptBR, en };
}

const DATE_INPUTS: Record<string, LocalizedText> = {
  iso8601: text('Data e hora ISO 8601', 'ISO 8601 date-time'),
  epochMilliseconds: text('Época em milissegundos', 'Epoch milliseconds'),
  epochSeconds: text('Época em segundos', 'Epoch seconds'),
  date: text('Data (AAAA-MM-DD)', 'Date (YYYY-MM-DD)'),
};

const DATE_OUTPUTS: Record<string, LocalizedText> = {
  iso8601: text('Data e hora ISO 8601 em UTC', 'ISO 8601 date-time in UTC'),
  date: text('Data (AAAA-MM-DD) no fuso', 'Date (YYYY-MM-DD) in the time zone'),
  epochMilliseconds: text('Época em milissegundos', 'Epoch milliseconds'),
  epochSeconds: text('Época em segundos', 'Epoch seconds'),
  localDateTime: text('Data e hora local, sem fuso', 'Local date-time, without offset'),
};

const CASES: Record<string, LocalizedText> = {
  lower: text('minúsculas', 'lower case'),
  upper: text('MAIÚSCULAS', 'UPPER CASE'),
  title: text('Iniciais Maiúsculas', 'Title Case'),
};

const CONVERT_TARGETS: Record<string, LocalizedText> = {
  string: text('Texto', 'Text'),
  number: text('Número', 'Number'),
  integer: text('Número inteiro', 'Integer'),
  boolean: text('Verdadeiro ou falso', 'True or false'),
};

const OTHERWISE: Record<string, LocalizedText> = {
  keep: text('Manter o valor original', 'Keep the original value'),
  null: text('Deixar vazio (null)', 'Leave empty (null)'),
};

function enumParameter(name: string, label: LocalizedText, labels: Record<string, LocalizedText>, required: boolean, defaultValue?: string): TransformParameter {
  const parameter: TransformParameter = { name, type: 'enum', required, label, options: Object.keys(labels), optionLabels: labels };
  if (defaultValue !== undefined) parameter.default = defaultValue;
  return parameter;
}

/**
 * The transforms a field rule can apply, with their parameters, as the mapping runtime
 * accepts them (`platform/src/mapping/transforms/compile-transform.ts`). A unit test checks
 * this list against field-mapping.schema.json.
 */
export const TRANSFORM_CATALOG: readonly TransformDescription[] = [
  {
    name: 'trim',
    label: text('Remover espaços', 'Trim spaces'),
    description: text('Remove os espaços no início e no fim do texto.', 'Removes white space at the start and end of the text.'),
    parameters: [],
  },
  {
    name: 'case',
    label: text('Maiúsculas e minúsculas', 'Letter case'),
    description: text('Muda as letras para minúsculas, maiúsculas ou iniciais maiúsculas, com as regras do português.', 'Changes the text to lower, upper or title case, with Portuguese rules.'),
    parameters: [enumParameter('to', text('Formato', 'Case'), CASES, true)],
  },
  {
    name: 'convert',
    label: text('Converter tipo', 'Convert type'),
    description: text('Converte o valor em texto, número, número inteiro ou verdadeiro/falso. Texto vazio vira vazio (null).', 'Converts the value to text, a number, an integer or true/false. Empty text becomes null.'),
    parameters: [enumParameter('to', text('Tipo', 'Type'), CONVERT_TARGETS, true)],
  },
  {
    name: 'date',
    label: text('Formatar data', 'Format date'),
    description: text('Lê uma data ou hora num formato e escreve em outro, no fuso horário escolhido.', 'Reads a date or time in one format and writes it in another, in the chosen time zone.'),
    parameters: [
      enumParameter('from', text('Formato de entrada', 'Input format'), DATE_INPUTS, true),
      enumParameter('to', text('Formato de saída', 'Output format'), DATE_OUTPUTS, true),
      {
        name: 'timeZone',
        type: 'timeZone',
        required: false,
        label: text('Fuso horário', 'Time zone'),
        default: 'UTC',
        requiredWhen: text('Obrigatório quando a saída é data e hora local.', 'Required when the output is a local date-time.'),
      },
    ],
  },
  {
    name: 'default',
    label: text('Valor padrão', 'Default value'),
    description: text('Usa um valor fixo quando o campo vem vazio.', 'Uses a fixed value when the field is empty.'),
    parameters: [{ name: 'value', type: 'scalar', required: true, label: text('Valor', 'Value') }],
  },
  {
    name: 'valueMap',
    label: text('Tabela de valores', 'Value map'),
    description: text('Troca cada valor pelo valor correspondente numa tabela, como códigos de etapa por nomes.', 'Replaces each value by its entry in a table, such as stage codes by names.'),
    parameters: [
      { name: 'map', type: 'map', required: true, label: text('Tabela', 'Table') },
      enumParameter('otherwise', text('Valor fora da tabela', 'Value not in the table'), OTHERWISE, false, 'keep'),
    ],
  },
  {
    name: 'concat',
    label: text('Juntar', 'Concatenate'),
    description: text('Junta vários campos num texto só, como nome e sobrenome.', 'Joins several fields into one text, such as first and last name.'),
    parameters: [
      { name: 'separator', type: 'string', required: false, label: text('Separador', 'Separator'), default: ' ' },
      { name: 'skipEmpty', type: 'boolean', required: false, label: text('Ignorar vazios', 'Skip empty values'), default: false },
    ],
  },
  {
    name: 'split',
    label: text('Dividir', 'Split'),
    description: text('Divide o texto em partes a cada separador e pode ficar com uma das partes.', 'Splits the text at each separator and can keep one of the parts.'),
    parameters: [
      { name: 'separator', type: 'string', required: true, label: text('Separador', 'Separator') },
      { name: 'index', type: 'integer', required: false, label: text('Parte (0 é a primeira, -1 a última)', 'Part (0 is the first, -1 the last)') },
    ],
  },
  {
    name: 'lookup',
    label: text('Buscar registro', 'Look up record'),
    description: text('Troca o id do provedor pelo id Lumio do registro sincronizado, ou por um campo dele.', "Replaces the provider's id by the Lumio id of the synced record, or by one of its fields."),
    parameters: [
      { name: 'canonicalObject', type: 'enum', required: true, label: text('Objeto', 'Object'), options: [...CANONICAL_OBJECTS] },
      { name: 'field', type: 'string', required: false, label: text('Campo a copiar', 'Field to copy') },
    ],
  },
];
