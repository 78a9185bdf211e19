import type { RecordedBody } from './recording-format.js';
import { isPhoneValue, isSensitiveJsonKey, isSensitiveQueryName, replaceEmails, replacePhones } from './sensitive-data.js';

/** Placeholders the redactor writes for secrets (e-mail placeholders are matched as e-mail first). */
const SECRET_PLACEHOLDER = /redacted-[A-Za-z0-9_.-]+/g;

/**
 * Builds the key a replayed request is matched by: method, URL with its query sorted,
 * and body with its keys sorted. The spots the recorder redacts compare as `<secret>`,
 * `<email>` and `<phone>`: secret parameters and keys, e-mail addresses, phone numbers and
 * placeholders. A request therefore matches its recording whether it carries the original
 * value, the placeholder, or a value from the manifest that the recording redacted.
 */
export function requestKey(method: string, url: string | URL, body: RecordedBody | undefined): string {
  const parsed = new URL(url);
  const path = parsed.pathname
    .split('/')
    .map((segment) => normalizeText(safeDecode(segment)))
    .join('/');
  const query = [...parsed.searchParams]
    .map(([name, value]) => `${name}=${isSensitiveQueryName(name) ? '<secret>' : normalizeText(value)}`)
    .sort();

  const lines = [`${method.toUpperCase()} ${parsed.origin}${path}${query.length > 0 ? `?${query.join('&')}` : ''}`];
  if (body !== undefined) lines.push(normalizeBody(body));
  return lines.join('\n');
}

function normalizeBody(body: RecordedBody): string {
  if ('json' in body) return JSON.stringify(normalizeJson(body.json));
  if ('form' in body) {
    const fields = [...new URLSearchParams(body.form)].map(([name, value]) => `${name}=${isSensitiveQueryName(name) || isSensitiveJsonKey(name) ? '<secret>' : normalizeText(value)}`);
    return fields.sort().join('&');
  }
  return normalizeText(body.text);
}

function normalizeJson(value: unknown, key?: string): unknown {
  if (typeof value === 'string') {
    if (key !== undefined && isSensitiveJsonKey(key)) return '<secret>';
    if (key !== undefined && isPhoneValue(key, value)) return '<phone>';
    return normalizeText(value);
  }
  if (typeof value === 'number' && key !== undefined && isPhoneValue(key, String(value))) return '<phone>';
  if (Array.isArray(value)) return value.map((item) => normalizeJson(item, key));
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const names = Object.keys(record).sort();
    return Object.fromEntries(names.map((name) => [normalizeText(name), normalizeJson(record[name], name)]));
  }
  return value;
}

function normalizeText(text: string): string {
  const withoutEmails = replaceEmails(text, () => '<email>');
  const withoutPhones = replacePhones(withoutEmails, () => '<phone>');
  return withoutPhones.replace(SECRET_PLACEHOLDER, '<secret>');
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
