import { LumioError } from '../errors/index.js';
import { readSegments } from './dot-path.js';
import { compileTemplate, type CompiledTemplate, type TemplateVariable } from './compile-template.js';

/** Values a template can look up, e.g. `{ config: { shop: 'acme' }, cursor: 'abc' }`. */
export type TemplateScope = Readonly<Record<string, unknown>>;

/**
 * Renders a template. A template that is exactly one placeholder returns the value with
 * its type (number, boolean, object, or null); any other template returns text.
 * Throws `TEMPLATE_VALUE_MISSING` when a looked-up value is undefined, or null inside text.
 */
export function renderTemplate(template: string, scope: TemplateScope): unknown {
  const compiled = compileTemplate(template);
  if (compiled.whole) return lookUp(compiled, compiled.whole, scope);
  return renderText(compiled, scope, formatText);
}

/**
 * Renders a URL path template. Interpolated values are percent-encoded as one path
 * segment each, so an id such as "a/b?c" cannot add segments or a query.
 */
export function renderPath(template: string, scope: TemplateScope): string {
  const compiled = compileTemplate(template);
  return renderText(compiled, scope, (value, variable) => encodePathSegment(compiled, variable, value));
}

/**
 * Renders every string inside a JSON value (a request body), keeping object keys as
 * written. The input is not modified.
 */
export function renderValue(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === 'string') return renderTemplate(value, scope);
  if (Array.isArray(value)) return value.map((item) => renderValue(item, scope));
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties, so a "__proto__" key stays a plain key.
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderValue(item, scope)]));
  }
  return value;
}

/** Returns the distinct variable paths a template looks up, e.g. ["config.shop", "id"]. */
export function listTemplateVariables(template: string): string[] {
  return [...compileTemplate(template).variables];
}

function renderText(
  compiled: CompiledTemplate,
  scope: TemplateScope,
  format: (value: unknown, variable: TemplateVariable) => string,
): string {
  let text = '';
  for (const part of compiled.parts) {
    if (part.kind === 'text') {
      text += part.text;
      continue;
    }
    const value = lookUp(compiled, part, scope);
    if (value === null) throw missingValue(compiled, part);
    text += format(value, part);
  }
  return text;
}

function lookUp(compiled: CompiledTemplate, variable: TemplateVariable, scope: TemplateScope): unknown {
  const value = readSegments(scope, variable.segments);
  if (value === undefined) throw missingValue(compiled, variable);
  return value;
}

function formatText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function encodePathSegment(compiled: CompiledTemplate, variable: TemplateVariable, value: unknown): string {
  const text = formatText(value);
  // URL parsers resolve "." and ".." segments (even percent-encoded), which would move the request to another path.
  if (text === '.' || text === '..') {
    throw new LumioError(
      'TEMPLATE_VALUE_INVALID',
      `The value of "${variable.path}" in the path template "${compiled.source}" is "${text}", which cannot be used as a path segment; pass a real identifier.`,
      { status: 400, fault: 'caller', details: { template: compiled.source, variable: variable.path } },
    );
  }
  return encodeURIComponent(text);
}

function missingValue(compiled: CompiledTemplate, variable: TemplateVariable): LumioError {
  const root = variable.segments[0];
  // Connection config and action params come from the caller; any other variable is the connector's to supply.
  const callerSupplied = root === 'config' || root === 'params';
  const advice = callerSupplied
    ? `set "${variable.path}" on the connection or request`
    : 'fix the connector manifest or pass the value';
  return new LumioError(
    'TEMPLATE_VALUE_MISSING',
    `The template "${compiled.source}" needs a value for "${variable.path}", but none was given; ${advice}.`,
    {
      status: callerSupplied ? 400 : 500,
      fault: callerSupplied ? 'caller' : 'connector',
      details: { template: compiled.source, variable: variable.path },
    },
  );
}
