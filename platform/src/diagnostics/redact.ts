import type { QueryValue } from '../http/index.js';

// Redaction of provider requests and responses before they are logged. Values of headers,
// parameters and fields whose names suggest a secret are replaced, known secret values are
// replaced wherever they appear, and e-mail addresses and phone numbers are masked.

export const REDACTED = '[redacted]';
export const MASKED_EMAIL = '[email]';
export const MASKED_PHONE = '[phone]';

/** Names of headers, query parameters and fields whose values are secrets. */
const SECRET_NAME = /authorization|cookie|token|secret|passw|api[-_]?key|apikey|signature|session|credential|private[-_]?key|code[-_]?verifier|^code$|^key$|^auth$/i;
/** Names of fields that hold phone numbers. */
const PHONE_NAME = /phone|mobile|^tel$|telephone|whatsapp|msisdn|^fax$/i;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** International numbers in free text: a plus sign, then at least 8 digits with separators. */
const PHONE_IN_TEXT = /\+\d[\d\s().-]{6,}\d/g;
/** A whole value that looks like a formatted phone number, such as "(11) 98765-4321". */
const PHONE_VALUE = /^\+?[\d\s().-]{8,24}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;
/** Shorter secrets are not searched for, because they would mask unrelated text. */
const MIN_SECRET_LENGTH = 4;
const MAX_DEPTH = 20;

/** Lists the forms in which a secret may appear: as is, base64, base64url and URL-encoded. */
export function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    const bytes = Buffer.from(secret, 'utf8');
    forms.add(secret);
    forms.add(bytes.toString('base64'));
    forms.add(bytes.toString('base64').replace(/=+$/, ''));
    forms.add(bytes.toString('base64url'));
    forms.add(encodeURIComponent(secret));
  }
  // Longest first, so a secret that contains another is replaced whole.
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Replaces every form of the known secrets in a text. */
export function replaceSecrets(text: string, forms: readonly string[]): string {
  let replaced = text;
  for (const form of forms) {
    if (replaced.includes(form)) replaced = replaced.replaceAll(form, REDACTED);
  }
  return replaced;
}

/** Replaces known secrets, e-mail addresses and international phone numbers in free text. */
export function maskText(text: string, forms: readonly string[]): string {
  return replaceSecrets(text, forms).replace(EMAIL, MASKED_EMAIL).replace(PHONE_IN_TEXT, MASKED_PHONE);
}

/** Masks one named value: secret names are redacted, phone fields and phone-like values masked. */
function maskNamedString(name: string, value: string, forms: readonly string[]): string {
  if (SECRET_NAME.test(name)) return REDACTED;
  if (PHONE_NAME.test(name) && /\d/.test(value)) return MASKED_PHONE;
  if (looksLikePhone(value)) return MASKED_PHONE;
  return maskText(value, forms);
}

function looksLikePhone(value: string): boolean {
  const trimmed = value.trim();
  if (!PHONE_VALUE.test(trimmed) || ISO_DATE.test(trimmed)) return false;
  const digits = trimmed.replace(/\D/g, '').length;
  // Bare digit strings are ids and timestamps far more often than phone numbers.
  const formatted = trimmed.startsWith('+') || /[\s()-]/.test(trimmed);
  return formatted && digits >= 8 && digits <= 15;
}

/** Redacts header values: secret names entirely, others as free text. */
export function redactHeaders(headers: Record<string, string> | undefined, forms: readonly string[]): Record<string, string> {
  const redacted: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    redacted[name] = SECRET_NAME.test(name) ? REDACTED : maskText(value, forms);
  }
  return redacted;
}

/** Redacts a URL's user information and the values of its query parameters. */
export function redactUrl(url: string, forms: readonly string[]): string {
  if (!URL.canParse(url)) return maskText(url, forms);

  const parsed = new URL(url);
  if (parsed.username) parsed.username = REDACTED;
  if (parsed.password) parsed.password = REDACTED;
  for (const [name, value] of [...parsed.searchParams.entries()]) {
    parsed.searchParams.set(name, maskNamedString(name, value, forms));
  }
  // Secrets and personal data can also sit in the path, such as a key some providers put in
  // it or a contact looked up by e-mail address.
  parsed.pathname = maskText(safeDecode(parsed.pathname), forms);
  return replaceSecrets(parsed.toString(), forms);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Redacts a request's query parameters. */
export function redactQuery(query: Record<string, QueryValue> | undefined, forms: readonly string[]): Record<string, QueryValue> {
  const redacted: Record<string, QueryValue> = {};
  for (const [name, value] of Object.entries(query ?? {})) {
    redacted[name] = typeof value === 'string' ? maskNamedString(name, value, forms) : SECRET_NAME.test(name) && value !== null && value !== undefined ? REDACTED : value;
  }
  return redacted;
}

/**
 * Returns a redacted copy of a body: a JSON value walked field by field, a form by its
 * parameters, or text masked as free text.
 */
export function redactBody(body: unknown, forms: readonly string[]): unknown {
  if (body instanceof URLSearchParams) {
    const redacted: Record<string, string> = {};
    for (const [name, value] of body.entries()) redacted[name] = maskNamedString(name, value, forms);
    return redacted;
  }
  if (body instanceof Uint8Array) return `[${body.byteLength} bytes]`;
  return redactValue('', body, forms, 0);
}

function redactValue(name: string, value: unknown, forms: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return name === '' ? maskText(value, forms) : maskNamedString(name, value, forms);
  if (typeof value === 'number' && PHONE_NAME.test(name)) return MASKED_PHONE;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (name !== '' && SECRET_NAME.test(name)) return REDACTED;

  if (Array.isArray(value)) return value.map((item) => redactValue(name, item, forms, depth + 1));

  const redacted: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    redacted[maskText(key, forms)] = SECRET_NAME.test(key) && item !== null && item !== undefined ? REDACTED : redactValue(key, item, forms, depth + 1);
  }
  return redacted;
}
