/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/** Renders the inline CommonMark the document uses: `code` and **strong**, on escaped text. */
export function renderInline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

/** Renders paragraphs separated by blank lines. */
export function renderParagraphs(text: string | undefined): string {
  if (!text) return '';
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => `<p>${renderInline(paragraph.trim())}</p>`)
    .join('\n');
}

/** Anchor id of a component schema. */
export function schemaAnchor(name: string): string {
  return `schema-${name}`;
}
