import { replaceSecrets, secretForms } from './redact.js';

/**
 * Returns a copy of a JSON value with every known secret replaced by `[redacted]` in keys
 * and strings, in each form `secretForms` lists. It is the last step before a support
 * report leaves the platform, so a secret that reached a stored error message is still
 * not shown.
 */
export function scrubSecrets<T>(value: T, secrets: readonly string[]): T {
  const forms = secretForms(secrets);
  if (forms.length === 0) return value;
  return scrub(value, forms) as T;
}

function scrub(value: unknown, forms: readonly string[]): unknown {
  if (typeof value === 'string') return replaceSecrets(value, forms);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => scrub(item, forms));

  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[replaceSecrets(key, forms)] = scrub(item, forms);
  return copy;
}
