/** One `{{ name }}` lookup in a template string. */
export interface TemplateLookup {
  /** Variable path as written, e.g. "config.shop". */
  variable: string;
  /** The path split at dots, e.g. ["config", "shop"]. */
  segments: string[];
}

export interface ParsedTemplate {
  lookups: TemplateLookup[];
  /** Syntax problems, each a sentence. */
  problems: string[];
}

/** A lookup: dot-separated names, each starting with a letter or underscore. */
const LOOKUP = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;

/**
 * Finds the `{{ ... }}` lookups in a template string. Templates allow variable lookups
 * only, so anything else between the braces (filters, operators, calls) is a problem,
 * as is a "{{" without its closing "}}".
 */
export function parseTemplate(text: string): ParsedTemplate {
  const lookups: TemplateLookup[] = [];
  const problems: string[] = [];

  let position = text.indexOf('{{');
  while (position !== -1) {
    const end = text.indexOf('}}', position + 2);
    if (end === -1) {
      problems.push(`The template has a '{{' at character ${position + 1} without a closing '}}'.`);
      break;
    }

    const inner = text.slice(position + 2, end).trim();
    if (LOOKUP.test(inner)) {
      lookups.push({ variable: inner, segments: inner.split('.') });
    } else {
      problems.push(
        `'{{ ${inner} }}' is not a variable lookup; templates allow only names such as 'config.shop', with no filters, operators or function calls.`,
      );
    }
    position = text.indexOf('{{', end + 2);
  }
  return { lookups, problems };
}
