/** One decoded `name=value` pair of an application/x-www-form-urlencoded body, in body order. */
export type FormField = readonly [name: string, value: string];

/**
 * Decodes form text into its pairs the way URLSearchParams does: "+" is a space, empty pairs
 * are skipped, and a pair without "=" has an empty value. Unlike URLSearchParams, a malformed
 * percent escape or percent-encoded bytes that are not UTF-8 make it return null instead of
 * being kept or replaced, so two different bodies never decode to the same fields.
 */
export function decodeFormFields(text: string): FormField[] | null {
  const fields: FormField[] = [];

  for (const pair of text.split('&')) {
    if (pair === '') continue;

    const separator = pair.indexOf('=');
    const name = decodeComponent(separator === -1 ? pair : pair.slice(0, separator));
    const value = decodeComponent(separator === -1 ? '' : pair.slice(separator + 1));
    if (name === null || value === null) return null;
    fields.push([name, value]);
  }
  return fields;
}

function decodeComponent(encoded: string): string | null {
  try {
    return decodeURIComponent(encoded.replaceAll('+', ' '));
  } catch {
    return null;
  }
}
