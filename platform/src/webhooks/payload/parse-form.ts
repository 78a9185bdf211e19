import { FORBIDDEN_SEGMENTS } from '../../templates/index.js';
import { MAX_NESTING_DEPTH, bodyInvalid, quoteName } from './body-invalid.js';
import { decodeFormFields } from './form-fields.js';
import { decodeUtf8 } from './parse-json.js';

/** A field name split at its brackets: `data[merges][EMAIL]` is data, merges, EMAIL. */
interface FieldPath {
  segments: string[];
  /** True for a name ending in `[]`, whose values are collected into an array. */
  appends: boolean;
}

type FormObject = Record<string, unknown>;

const BRACKETED_NAME = /^([^[\]]+)((?:\[[^[\]]*\])*)$/;
const BRACKET_GROUP = /\[([^[\]]*)\]/g;

/**
 * Parses an application/x-www-form-urlencoded body into an object. Bracketed names nest:
 * `data[merges][EMAIL]=a` gives `{ data: { merges: { EMAIL: 'a' } } }`. Numeric brackets
 * stay object keys (`a[0]=x&a[1]=y` gives `{ a: { 0: 'x', 1: 'y' } }`), so a sender cannot
 * make the parser allocate a huge sparse array, and dot paths such as `a.0` still read
 * them. Only a name ending in `[]` collects its values into an array. A repeated plain
 * name keeps its last value. A name that does not fit the bracket grammar (`a[b`, `a[][c]`)
 * is kept whole as a flat key.
 *
 * Rejected with WEBHOOK_BODY_INVALID: invalid UTF-8 or percent escapes, a name segment of
 * `__proto__`, `constructor` or `prototype`, nesting deeper than MAX_NESTING_DEPTH, and a
 * name used both for a value and for a group (`a=1&a[b]=2`).
 */
export function parseFormBody(raw: Uint8Array): FormObject {
  const fields = decodeFormFields(decodeUtf8(raw));
  if (fields === null) {
    throw bodyInvalid('The webhook form body has a malformed percent escape or percent-encoded bytes that are not UTF-8.');
  }

  const root: FormObject = {};
  for (const [name, value] of fields) {
    assignField(root, name, splitFieldName(name), value);
  }
  return root;
}

function splitFieldName(name: string): FieldPath {
  const match = BRACKETED_NAME.exec(name);
  if (match === null) return { segments: [name], appends: false };

  const groups = [...(match[2] ?? '').matchAll(BRACKET_GROUP)].map((group) => group[1] ?? '');
  const appends = groups.at(-1) === '';
  const inner = appends ? groups.slice(0, -1) : groups;
  if (inner.includes('')) return { segments: [name], appends: false };

  return { segments: [match[1] ?? name, ...inner], appends };
}

function assignField(root: FormObject, name: string, path: FieldPath, value: string): void {
  const { segments, appends } = path;
  const forbidden = segments.find((segment) => FORBIDDEN_SEGMENTS.has(segment));
  if (forbidden !== undefined) {
    throw bodyInvalid(`The form field ${quoteName(name)} uses "${forbidden}", which is not allowed in a field name.`);
  }
  if (segments.length + (appends ? 1 : 0) > MAX_NESTING_DEPTH) {
    throw bodyInvalid(`The form field ${quoteName(name)} nests deeper than ${MAX_NESTING_DEPTH} levels.`);
  }

  let container = root;
  for (const segment of segments.slice(0, -1)) {
    container = childGroup(container, segment, name);
  }

  const last = segments.at(-1) ?? name;
  const existing = Object.hasOwn(container, last) ? container[last] : undefined;
  if (appends) {
    if (existing === undefined) container[last] = [value];
    else if (Array.isArray(existing)) existing.push(value);
    else throw conflict(name);
    return;
  }

  if (existing !== undefined && typeof existing !== 'string') throw conflict(name);
  container[last] = value;
}

function childGroup(container: FormObject, segment: string, name: string): FormObject {
  const existing = Object.hasOwn(container, segment) ? container[segment] : undefined;
  if (existing === undefined) {
    const created: FormObject = {};
    container[segment] = created;
    return created;
  }
  if (typeof existing === 'object' && existing !== null && !Array.isArray(existing)) return existing as FormObject;
  throw conflict(name);
}

function conflict(name: string) {
  return bodyInvalid(`The form field ${quoteName(name)} uses a name that another field already uses for a different kind of value (a text value, a group or a list).`);
}
