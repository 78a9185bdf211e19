// Generated from schemas/field-mapping.schema.json by plugin-sdk/scripts/generate-types.ts. Do not edit:
// change the schema and run `npm run generate:types` instead.

/**
 * Name of a Lumio canonical object. Each name has a schema in schemas/canonical/<name>.schema.json.
 */
export type CanonicalObjectName =
  'contact' | 'company' | 'deal' | 'product' | 'order' | 'customer' | 'message';
/**
 * One step that changes a value, chosen by `type`.
 */
export type Transform =
  | TrimTransform
  | CaseTransform
  | ConvertTransform
  | DateTransform
  | DefaultTransform
  | ValueMapTransform
  | ConcatTransform
  | SplitTransform
  | LookupTransform;

/**
 * A stored, versioned field mapping: the rules that turn one provider record of a connector object into a Lumio canonical record. A connector's default mappings use the same field rules.
 */
export interface FieldMapping {
  /**
   * Key of the connector object whose records this mapping reads, as declared in the manifest's `objects` map, e.g. "contacts".
   */
  object: string;
  canonicalObject: CanonicalObjectName;
  /**
   * Field rules, applied in order. Each rule writes one target field of the canonical record. A canonical field without a rule stays absent.
   */
  fields: FieldRule[];
}
/**
 * One canonical field and where its value comes from. A rule has exactly one of `source`, `sources` and `constant`.
 */
export interface FieldRule {
  /**
   * Dot path of the field in the canonical record, e.g. "firstName" or "address.city". A path into an array of objects uses "[]", e.g. "lineItems[].sku". Never "id": Lumio assigns record ids itself.
   */
  target: string;
  /**
   * Dot path of the value in the provider record, e.g. "properties.firstname". A segment ending in "[]" reads every element of an array, so "items[].sku" yields an array of SKUs. A missing path yields null.
   */
  source?: string;
  /**
   * Several dot paths in the provider record. The value is the array of their values in this order, which a `concat` transform can join.
   *
   * @minItems 1
   */
  sources?: string[];
  /**
   * Fixed value written to the target instead of a value read from the record.
   */
  constant?: string | number | boolean | null;
  /**
   * Transforms applied to the value in order, each to the output of the previous one. Default: none, so the value is copied as read.
   */
  transforms?: Transform[];
  /**
   * How write-back sends this canonical field to the provider. `false` leaves it out; an entry, or a list of them, writes it to `target` (default: the rule's `source`) after its `transforms`. Default: the rule is inverted when it has one `source` and every transform has an inverse, and left out otherwise.
   */
  reverse?: false | ReverseRule | ReverseRule[];
}
/**
 * Removes leading and trailing white space from a string. Numbers and booleans pass unchanged.
 */
export interface TrimTransform {
  /**
   * Transform kind.
   */
  type: 'trim';
}
/**
 * Changes the letter case of a string. Numbers and booleans pass unchanged.
 */
export interface CaseTransform {
  /**
   * Transform kind.
   */
  type: 'case';
  /**
   * Target case, using Brazilian Portuguese (pt-BR) case rules: "lower", "upper", or "title" (first letter of each word upper case, the rest lower case. The particles da, das, de, do, dos and e stay lower case after the first word).
   */
  to: 'lower' | 'upper' | 'title';
}
/**
 * Converts a value to another JSON type. Null stays null, empty text becomes null, and a value that cannot be converted is a field error.
 */
export interface ConvertTransform {
  /**
   * Transform kind.
   */
  type: 'convert';
  /**
   * Target type. "number" and "integer" accept numbers, booleans (as 1 and 0) and decimal text. "integer" accepts only whole numbers. "boolean" accepts booleans, the numbers 1 and 0, and the text true/false, 1/0 or yes/no in any case.
   */
  to: 'string' | 'number' | 'integer' | 'boolean';
}
/**
 * Parses a date or timestamp in one format and writes it in another.
 */
export interface DateTransform {
  /**
   * Transform kind.
   */
  type: 'date';
  /**
   * Format of the input: "iso8601" date or date-time text (read in `timeZone` when it has no offset), "epochMilliseconds" or "epochSeconds" since 1970-01-01T00:00:00Z (numbers or numeric text), or "date" (YYYY-MM-DD, read as midnight in `timeZone`).
   */
  from: 'iso8601' | 'epochMilliseconds' | 'epochSeconds' | 'date';
  /**
   * Format of the output: "iso8601" (UTC, e.g. "2025-03-01T12:00:00.000Z"), "date" (YYYY-MM-DD in `timeZone`), "epochMilliseconds", "epochSeconds", or "localDateTime" (YYYY-MM-DDTHH:mm:ss in `timeZone`, without an offset).
   */
  to: 'iso8601' | 'date' | 'epochMilliseconds' | 'epochSeconds' | 'localDateTime';
  /**
   * IANA time zone name, e.g. "America/Sao_Paulo", used to read input without an offset and to write "date" and "localDateTime" output. Required when `to` is "localDateTime". Default: "UTC".
   */
  timeZone?: string;
}
/**
 * Replaces a missing value (null or absent) with a fixed value. It is the only transform that runs on a missing value. The others pass it through.
 */
export interface DefaultTransform {
  /**
   * Transform kind.
   */
  type: 'default';
  /**
   * Value written when the input is missing.
   */
  value: string | number | boolean | null;
}
/**
 * Replaces a value by looking it up in a table, e.g. provider stage ids to canonical stage names.
 */
export interface ValueMapTransform {
  /**
   * Transform kind.
   */
  type: 'valueMap';
  /**
   * Table from input value, compared as text (so the number 1 matches the key "1"), to output value.
   */
  map: {
    /**
     * Output value for this input.
     */
    [k: string]: string | number | boolean | null;
  };
  /**
   * What happens to a value missing from the table: "keep" passes it unchanged, "null" writes null. Default: "keep".
   */
  otherwise?: 'keep' | 'null';
}
/**
 * Joins an array of values (as produced by `sources`) into one string. A non-array value is written as text.
 */
export interface ConcatTransform {
  /**
   * Transform kind.
   */
  type: 'concat';
  /**
   * Text placed between joined values. Default: " " (one space).
   */
  separator?: string;
  /**
   * When true, null, absent, empty and white-space-only values are left out before joining, and the result is null when nothing is left. When false, missing values join as empty text. Default: false.
   */
  skipEmpty?: boolean;
}
/**
 * Splits a string at each separator.
 */
export interface SplitTransform {
  /**
   * Transform kind.
   */
  type: 'split';
  /**
   * Text at which the string is split, matched literally.
   */
  separator: string;
  /**
   * Zero-based index of the part to keep. A negative index counts from the end (-1 is the last part), and an index past the end yields null. Default: none, so the whole array of parts is written.
   */
  index?: number;
}
/**
 * Treats the value as a provider record id and finds the record with that external id among this connection's records of a canonical object. Writes that record's Lumio id, or one field of its canonical data, or null when no record matches.
 */
export interface LookupTransform {
  /**
   * Transform kind.
   */
  type: 'lookup';
  canonicalObject: CanonicalObjectName;
  /**
   * Dot path of a field in the found record's canonical data to write instead of its Lumio id. Default: none, so the Lumio id is written.
   */
  field?: string;
}
/**
 * Where write-back writes a canonical field in the provider record.
 */
export interface ReverseRule {
  /**
   * Dot path of the field in the provider record, e.g. "properties.country". Default: the rule's `source`.
   */
  target?: string;
  /**
   * Transforms applied to the canonical value before it is written. Default: none.
   */
  transforms?: Transform[];
}
