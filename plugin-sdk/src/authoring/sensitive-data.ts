// Names and text patterns that carry secrets or personal data in recorded HTTP exchanges.
// The recorder redacts what these find, and the replay matcher ignores the same spots, so
// a replayed request matches its recording wherever a value was redacted.

/** Header names whose values are credentials, session cookies or signatures. */
const SENSITIVE_HEADER = /authorization|cookie|api[-_]?key|token|secret|password|signature|session/i;

/** Query parameter names that carry credentials, compared after `normalizeName`. */
const SENSITIVE_QUERY_NAMES = new Set([
  'apikey',
  'key',
  'accesstoken',
  'token',
  'authtoken',
  'apitoken',
  'sessiontoken',
  'clientsecret',
  'secret',
  'password',
  'signature',
  'sig',
  'codeverifier',
  'refreshtoken',
  'idtoken',
]);

/**
 * JSON body keys that carry credentials or OAuth tokens, compared after `normalizeName`.
 * Unlike the query list it leaves out "key" and "signature", which JSON data often uses
 * for other things, such as a custom field's key.
 */
const SENSITIVE_JSON_KEYS = new Set([
  'apikey',
  'apisecret',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'token',
  'authtoken',
  'apitoken',
  'bearertoken',
  'sessiontoken',
  'clientsecret',
  'secret',
  'password',
  'passwd',
  'privatekey',
  'codeverifier',
  'authorization',
]);

/** JSON keys whose string values are phone numbers whatever their format. */
const PHONE_KEY = /phone|mobile|celular|telefone|whatsapp|fax/;

export const EMAIL_PATTERN = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/**
 * Phone numbers in running text: an international number starting with "+", or one with
 * an area code in brackets such as "(11) 98765-4321". Other digit runs are left alone,
 * because ids, amounts and dates look the same.
 */
const PHONE_PATTERNS = [/\+\d[\d\s().-]{6,18}\d/g, /\(\d{2,3}\)\s?\d{3,5}[\s.-]?\d{4}/g];

/** Digit counts of a phone number found in text. E.164 numbers have at most 15 digits, and 8 skips short codes. */
const MIN_PHONE_DIGITS = 8;
const MAX_PHONE_DIGITS = 15;

/** Lower-cases a name and drops "-" and "_", so "X-Api-Key", "api_key" and "apiKey" compare equal. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADER.test(name);
}

export function isSensitiveQueryName(name: string): boolean {
  return SENSITIVE_QUERY_NAMES.has(normalizeName(name));
}

export function isSensitiveJsonKey(key: string): boolean {
  return SENSITIVE_JSON_KEYS.has(normalizeName(key));
}

/** Tests whether a JSON value under `key` is a phone number: a phone-like key and at least 7 digits. */
export function isPhoneValue(key: string, value: string): boolean {
  return PHONE_KEY.test(normalizeName(key)) && countDigits(value) >= 7;
}

/** Replaces each phone number in `text` with what `replace` returns for it. */
export function replacePhones(text: string, replace: (phone: string) => string): string {
  let result = text;
  for (const pattern of PHONE_PATTERNS) {
    result = result.replace(pattern, (match) => {
      const digits = countDigits(match);
      return digits >= MIN_PHONE_DIGITS && digits <= MAX_PHONE_DIGITS ? replace(match) : match;
    });
  }
  return result;
}

/** Replaces each e-mail address in `text` with what `replace` returns for it. */
export function replaceEmails(text: string, replace: (email: string) => string): string {
  return text.replace(EMAIL_PATTERN, replace);
}

function countDigits(text: string): number {
  return text.replace(/\D/g, '').length;
}
