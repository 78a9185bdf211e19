/** Names a generic HMAC `signedContent` template may use, each written as `{{ name }}`. */
export const TEMPLATE_VALUE_NAMES = ['method', 'url', 'timestamp', 'id', 'body'] as const;

export type TemplateValueName = (typeof TEMPLATE_VALUE_NAMES)[number];

/** One piece of a parsed template: literal text, or a value looked up by name. */
export type TemplatePart = { text: string } | { value: TemplateValueName };

/** A parsed template, or the first placeholder name that is not one of `TEMPLATE_VALUE_NAMES`. */
export type ParsedTemplate = { parts: TemplatePart[] } | { unknownName: string };

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * Splits a `signedContent` template into literal text and placeholders. Placeholders are
 * only looked up, never evaluated, and text outside `{{ }}` is signed as its UTF-8 bytes.
 */
export function parseSignedContent(template: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  let textStart = 0;

  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (!isTemplateValueName(name)) return { unknownName: name };

    if (match.index > textStart) parts.push({ text: template.slice(textStart, match.index) });
    parts.push({ value: name });
    textStart = match.index + match[0].length;
  }

  if (textStart < template.length) parts.push({ text: template.slice(textStart) });
  return { parts };
}

/** Tells whether a parsed template uses a value, such as `timestamp`. */
export function templateUses(parts: readonly TemplatePart[], name: TemplateValueName): boolean {
  return parts.some((part) => 'value' in part && part.value === name);
}

/**
 * Renders the signed bytes. The body is inserted as the raw bytes received, never decoded and
 * re-encoded. Values the caller has not supplied render as nothing, so callers check
 * `templateUses` first.
 */
export function renderSignedContent(
  parts: readonly TemplatePart[],
  values: Partial<Record<TemplateValueName, string | Buffer>>,
): Buffer {
  const chunks = parts.map((part) => {
    const piece = 'text' in part ? part.text : (values[part.value] ?? '');
    return typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
  });
  return Buffer.concat(chunks);
}

function isTemplateValueName(name: string): name is TemplateValueName {
  return (TEMPLATE_VALUE_NAMES as readonly string[]).includes(name);
}
