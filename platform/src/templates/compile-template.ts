import { LumioError } from '../errors/index.js';
import { FORBIDDEN_SEGMENTS, splitDotPath } from './dot-path.js';

export interface TemplateText {
  kind: 'text';
  text: string;
}

export interface TemplateVariable {
  kind: 'variable';
  /** The dot path as written, without surrounding whitespace, e.g. "config.shop". */
  path: string;
  segments: readonly string[];
}

export type TemplatePart = TemplateText | TemplateVariable;

/** A template parsed once; rendering walks `parts` without re-parsing. */
export interface CompiledTemplate {
  source: string;
  parts: readonly TemplatePart[];
  /** Set when the whole template is exactly one placeholder, so rendering keeps the value's type. */
  whole: TemplateVariable | undefined;
  /** Distinct variable paths in order of first use. */
  variables: readonly string[];
}

const PLACEHOLDER_BODY = /^\s*([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\s*$/;
const CACHE_LIMIT = 10_000;
const cache = new Map<string, CompiledTemplate>();

/**
 * Parses a manifest template into text and `{{ path }}` lookups, caching the result by
 * its source string because the same templates render on every page of a sync.
 * Throws `TEMPLATE_INVALID` for an unclosed or malformed placeholder and for a path
 * segment that leads to a prototype.
 */
export function compileTemplate(source: string): CompiledTemplate {
  const cached = cache.get(source);
  if (cached) return cached;

  const compiled = parseTemplate(source);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

function parseTemplate(source: string): CompiledTemplate {
  const parts: TemplatePart[] = [];
  const variables: string[] = [];
  let offset = 0;

  while (offset < source.length) {
    const open = source.indexOf('{{', offset);
    if (open === -1) {
      parts.push({ kind: 'text', text: source.slice(offset) });
      break;
    }
    if (open > offset) parts.push({ kind: 'text', text: source.slice(offset, open) });

    const close = source.indexOf('}}', open + 2);
    if (close === -1) {
      throw invalidTemplate(source, `has a "{{" at position ${open} that is never closed with "}}"`);
    }
    const variable = parsePlaceholder(source, source.slice(open, close + 2));
    parts.push(variable);
    if (!variables.includes(variable.path)) variables.push(variable.path);
    offset = close + 2;
  }

  const only = parts.length === 1 ? parts[0] : undefined;
  return { source, parts, whole: only?.kind === 'variable' ? only : undefined, variables };
}

function parsePlaceholder(source: string, placeholder: string): TemplateVariable {
  const match = PLACEHOLDER_BODY.exec(placeholder.slice(2, -2));
  const path = match?.[1];
  if (path === undefined) {
    throw invalidTemplate(
      source,
      `contains the placeholder "${placeholder}", but a placeholder may only contain a dot path such as {{ config.shop }}`,
    );
  }

  const segments = splitDotPath(path);
  const forbidden = segments.find((segment) => FORBIDDEN_SEGMENTS.has(segment));
  if (forbidden !== undefined) {
    throw invalidTemplate(source, `uses the path "${path}", whose segment "${forbidden}" is not allowed`);
  }
  return { kind: 'variable', path, segments };
}

function invalidTemplate(source: string, problem: string): LumioError {
  return new LumioError('TEMPLATE_INVALID', `The template "${source}" ${problem}; fix the connector manifest.`, {
    status: 500,
    fault: 'connector',
    details: { template: source },
  });
}
