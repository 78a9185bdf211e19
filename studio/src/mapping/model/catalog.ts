/**
 * The field catalogue of one connection object, as `GET .../field-mappings/{object}/catalog`
 * returns it: the provider's fields (declared in the manifest's record schema or seen in
 * stored records), Lumio's canonical fields, and the transforms a rule may use.
 */
export interface FieldCatalog {
  providerFields: ProviderField[];
  canonicalFields: CanonicalField[];
  transforms: TransformSpec[];
}

export interface ProviderField {
  path: string;
  type: string | string[] | null;
  source: 'schema' | 'seen' | string;
  isArray: boolean;
  description?: string;
}

export interface CanonicalField {
  name: string;
  type: string | string[] | null;
  required: boolean;
  description?: string;
  format?: string;
}

/** Text in the studio's two languages, as the catalogue sends labels and descriptions. */
export type LocalizedText = Partial<Record<'pt-BR' | 'en', string>>;

export interface TransformSpec {
  name: string;
  label?: LocalizedText;
  description?: LocalizedText;
  parameters: TransformParameterSpec[];
}

/**
 * One parameter of a transform. `type` is `enum` (one of `options`), `string`, `boolean`,
 * `integer`, `scalar` (text, number, boolean or null), `map` (input text to output value)
 * or `timeZone` (an IANA name).
 */
export interface TransformParameterSpec {
  name: string;
  type: string;
  required: boolean;
  label?: LocalizedText;
  options?: (string | number | boolean)[];
  optionLabels?: Record<string, LocalizedText>;
  default?: unknown;
  /** When the parameter is needed although `required` is false, in words. */
  requiredWhen?: LocalizedText;
}

/** Reads a JSON Schema style type ("string", ["string", "null"]) as one type name, or null. */
export function mainType(type: string | string[] | null | undefined): string | null {
  if (type === null || type === undefined) return null;
  if (typeof type === 'string') return type === 'null' ? null : type;
  return type.find((name) => name !== 'null') ?? null;
}
