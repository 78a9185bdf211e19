import { credentialPlaceholder, type RecordedBody, type RecordedExchange } from './recording-format.js';
import {
  isPhoneValue,
  isSensitiveHeader,
  isSensitiveJsonKey,
  isSensitiveQueryName,
  normalizeName,
  replaceEmails,
  replacePhones,
} from './sensitive-data.js';

/**
 * Minimum length of a secret replaced wherever it occurs inside text. Shorter secrets are
 * replaced only where they are a whole value, so a short password does not rewrite every
 * word that contains it.
 */
const MIN_EMBEDDED_SECRET_LENGTH = 8;

/** Authorization schemes kept in front of a redacted token, so the header stays readable. */
const AUTH_SCHEME = /^(Bearer|Basic|Token|Digest|Bot|OAuth)\s+(.+)$/i;

export interface RedactorOptions {
  /** Credential values by field name; each is written as "redacted-<field>". */
  credentials: Readonly<Record<string, string>>;
  /** Config values the manifest marks `secret`, by setting name; written like credentials. */
  secretConfig?: Readonly<Record<string, string>>;
  /** More header and query parameter names that carry secrets, such as an apiKey method's `name`. */
  sensitiveNames?: readonly string[];
}

/**
 * Replaces secrets and personal data in recorded HTTP exchanges with placeholders. The
 * same value always gets the same placeholder, so a request built from a redacted
 * response still matches its redacted recording. Credentials become "redacted-<field>";
 * other secrets (found by header, query or JSON key name) "redacted-<name>-<n>"; e-mail
 * addresses "redacted-email-<n>@example.com"; phone numbers fictional +1 202 555 01xx
 * numbers. Placeholders are numbered in order of first appearance.
 */
export class Redactor {
  readonly #secrets = new Map<string, string>();
  readonly #emails = new Map<string, string>();
  readonly #phones = new Map<string, string>();
  readonly #placeholders = new Set<string>();
  readonly #counters = new Map<string, number>();
  readonly #sensitiveNames: Set<string>;
  #embeddedSecrets: [string, string][] | undefined;

  constructor(options: RedactorOptions) {
    this.#sensitiveNames = new Set((options.sensitiveNames ?? []).map(normalizeName));
    for (const [field, value] of Object.entries({ ...options.secretConfig, ...options.credentials })) {
      if (value === '') continue;
      const placeholder = credentialPlaceholder(field);
      this.#secrets.set(value, placeholder);
      this.#placeholders.add(placeholder);
    }
  }

  /**
   * Redacts a whole recording session. Secrets found by name late in the session may
   * occur in earlier exchanges (a token in a response body, sent later as a query
   * parameter), so a first pass finds them all and the second writes the result.
   */
  redactExchanges(exchanges: readonly RecordedExchange[]): RecordedExchange[] {
    for (const exchange of exchanges) this.redactExchange(exchange);
    return exchanges.map((exchange) => this.redactExchange(exchange));
  }

  redactExchange(exchange: RecordedExchange): RecordedExchange {
    const { request, response } = exchange;
    return {
      request: {
        method: request.method,
        url: this.redactUrl(request.url),
        headers: this.redactHeaders(request.headers),
        ...(request.body === undefined ? {} : { body: this.redactBody(request.body) }),
      },
      response: { status: response.status, headers: this.redactHeaders(response.headers), body: this.redactBody(response.body) },
    };
  }

  /** Redacts credentials in the user part, path segments and query values of a URL. */
  redactUrl(url: string): string {
    const parsed = new URL(url);
    if (parsed.username !== '' || parsed.password !== '') {
      parsed.username = 'redacted';
      parsed.password = '';
    }

    parsed.pathname = parsed.pathname
      .split('/')
      .map((segment) => {
        const decoded = safeDecode(segment);
        const redacted = this.redactValue(decoded);
        return redacted === decoded ? segment : encodeURIComponent(redacted);
      })
      .join('/');

    const entries = [...parsed.searchParams];
    const redacted = entries.map(([name, value]): [string, string] => [name, this.#redactParameter(name, value)]);
    if (redacted.some(([, value], index) => value !== entries[index]?.[1])) parsed.search = new URLSearchParams(redacted).toString();
    return parsed.href;
  }

  redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      result[name] = isSensitiveHeader(name) || this.#sensitiveNames.has(normalizeName(name)) ? this.#redactSecretHeader(name, value) : this.redactValue(value);
    }
    return result;
  }

  redactBody(body: RecordedBody): RecordedBody {
    if ('json' in body) return { json: this.redactJson(body.json) };
    if ('form' in body) return { form: this.#redactForm(body.form) };
    return { text: this.redactText(body.text) };
  }

  /** Redacts every string of a JSON value; `key` is the property the value sits under. */
  redactJson(value: unknown, key?: string): unknown {
    if (typeof value === 'string') {
      return key !== undefined && isSensitiveJsonKey(key) ? this.#registerSecret(value, key) : this.redactValue(value, key);
    }
    if (typeof value === 'number' && key !== undefined && isPhoneValue(key, String(value))) {
      return Number(this.#phonePlaceholder(String(value)).slice(1));
    }
    if (Array.isArray(value)) return value.map((item) => this.redactJson(item, key));
    if (value !== null && typeof value === 'object') {
      // fromEntries defines own properties, so a "__proto__" key stays plain data.
      return Object.fromEntries(Object.entries(value).map(([name, item]) => [this.redactText(name), this.redactJson(item, name)]));
    }
    return value;
  }

  /** Redacts one whole value: a known secret, a phone number under a phone-like key, or text. */
  redactValue(value: string, key?: string): string {
    if (this.#placeholders.has(value)) return value;
    const secret = this.#secrets.get(value);
    if (secret !== undefined) return secret;
    if (key !== undefined && isPhoneValue(key, value)) return this.#phonePlaceholder(value);
    return this.redactText(value);
  }

  /** Replaces known secrets, e-mail addresses and phone numbers inside running text. */
  redactText(text: string): string {
    let result = text;
    for (const [secret, placeholder] of this.#listEmbeddedSecrets()) {
      if (result.includes(secret)) result = result.split(secret).join(placeholder);
    }
    result = replaceEmails(result, (email) => (this.#placeholders.has(email) ? email : this.#emailPlaceholder(email)));
    return replacePhones(result, (phone) => (this.#placeholders.has(phone) ? phone : this.#phonePlaceholder(phone)));
  }

  #redactParameter(name: string, value: string): string {
    if (isSensitiveQueryName(name) || this.#sensitiveNames.has(normalizeName(name))) return this.#registerSecret(value, name);
    return this.redactValue(value, name);
  }

  #redactForm(form: string): string {
    const params = new URLSearchParams(form);
    const redacted = [...params].map(([name, value]): [string, string] => [
      name,
      isSensitiveJsonKey(name) ? this.#registerSecret(value, name) : this.#redactParameter(name, value),
    ]);
    return new URLSearchParams(redacted).toString();
  }

  #redactSecretHeader(name: string, value: string): string {
    const scheme = AUTH_SCHEME.exec(value);
    if (scheme) return `${scheme[1]} ${this.#registerSecret(scheme[2] as string, name)}`;
    return this.#registerSecret(value, name);
  }

  /** Returns the placeholder of a secret, giving it the next "redacted-<name>-<n>" when it is new. */
  #registerSecret(value: string, name: string): string {
    if (value === '' || this.#placeholders.has(value)) return value;
    const known = this.#secrets.get(value);
    if (known !== undefined) return known;

    const label = name.replace(/[^A-Za-z0-9_.-]/g, '_');
    const placeholder = `redacted-${label}-${this.#next(label)}`;
    this.#secrets.set(value, placeholder);
    this.#placeholders.add(placeholder);
    this.#embeddedSecrets = undefined;
    return placeholder;
  }

  #emailPlaceholder(email: string): string {
    const key = email.toLowerCase();
    let placeholder = this.#emails.get(key);
    if (placeholder === undefined) {
      placeholder = `redacted-email-${this.#next('email')}@example.com`;
      this.#emails.set(key, placeholder);
      this.#placeholders.add(placeholder);
    }
    return placeholder;
  }

  /** Maps a phone number, by its digits, to a fictional one: +1 202 555 0101, 0102, and so on. */
  #phonePlaceholder(phone: string): string {
    const key = phone.replace(/\D/g, '');
    let placeholder = this.#phones.get(key);
    if (placeholder === undefined) {
      placeholder = `+1202555${String(100 + this.#next('phone')).padStart(4, '0')}`;
      this.#phones.set(key, placeholder);
      this.#placeholders.add(placeholder);
    }
    return placeholder;
  }

  #next(label: string): number {
    const count = (this.#counters.get(label) ?? 0) + 1;
    this.#counters.set(label, count);
    return count;
  }

  /** Secrets long enough to replace inside text, longest first so one never cuts another. */
  #listEmbeddedSecrets(): [string, string][] {
    this.#embeddedSecrets ??= [...this.#secrets].filter(([secret]) => secret.length >= MIN_EMBEDDED_SECRET_LENGTH).sort(([a], [b]) => b.length - a.length);
    return this.#embeddedSecrets;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
