import { createHash } from 'node:crypto';

import type { OperationObject, SchemaObject } from '../builders.js';
import { HTTP_METHODS, PERMISSION_EXTENSION, type OpenApiDocument } from '../document.js';
import { escapeHtml, renderInline, renderParagraphs, schemaAnchor } from './html.js';
import { renderSchema } from './render-schema.js';
import { PAGE_STYLE } from './style.js';

interface PageOperation {
  method: string;
  path: string;
  operation: OperationObject;
}

export interface ReferencePage {
  html: string;
  /** A Content-Security-Policy that allows only the page's own inline style. */
  contentSecurityPolicy: string;
}

/**
 * Renders the document as one self-contained HTML page: operations grouped by tag, then the
 * component schemas. It has no script and loads nothing from elsewhere.
 */
export function renderReferencePage(document: OpenApiDocument): ReferencePage {
  const operations = listOperations(document);
  const sections = document.tags
    .map((tag) => ({ tag, operations: operations.filter((entry) => (entry.operation.tags as string[] | undefined)?.[0] === tag.name) }))
    .filter((section) => section.operations.length > 0);

  const contents = sections
    .map((section) => `<li><a href="#tag-${slug(section.tag.name)}">${escapeHtml(section.tag.name)}</a><ul>${section.operations.map(contentsEntry).join('')}</ul></li>`)
    .join('');
  const body = sections
    .map((section) => `<section id="tag-${slug(section.tag.name)}"><h2>${escapeHtml(section.tag.name)}</h2>${renderParagraphs(section.tag.description)}${section.operations.map((entry) => renderOperation(entry, document)).join('')}</section>`)
    .join('');
  const schemas = Object.entries(document.components.schemas)
    .map(([name, schema]) => `<section class="schema" id="${schemaAnchor(name)}"><h3>${escapeHtml(name)}</h3>${renderSchema(schema)}</section>`)
    .join('');

  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.info.title)} ${escapeHtml(document.info.version)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<nav><h1>${escapeHtml(document.info.title)}</h1><p class="version">${escapeHtml(document.info.version)} · <a href="/v1/openapi.json">openapi.json</a></p><ul>${contents}<li><a href="#schemas">Schemas</a></li></ul></nav>
<main>
<header><h1>${escapeHtml(document.info.title)}</h1>${renderParagraphs(document.info.description)}</header>
${body}
<section id="schemas"><h2>Schemas</h2>${schemas}</section>
</main>
</body>
</html>
`;
  const styleHash = createHash('sha256').update(PAGE_STYLE).digest('base64');
  return { html, contentSecurityPolicy: `default-src 'none'; style-src 'sha256-${styleHash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'` };
}

function listOperations(document: OpenApiDocument): PageOperation[] {
  const operations: PageOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation) operations.push({ method, path, operation });
    }
  }
  return operations;
}

function contentsEntry(entry: PageOperation): string {
  return `<li><a href="#${escapeHtml(String(entry.operation.operationId))}" title="${entry.method.toUpperCase()} ${escapeHtml(entry.path)}"><span class="method ${entry.method}">${entry.method.toUpperCase()}</span> ${escapeHtml(entry.path)}</a></li>`;
}

function renderOperation({ method, path, operation }: PageOperation, document: OpenApiDocument): string {
  const permission = operation[PERMISSION_EXTENSION];
  let access = 'Needs an API key or a session.';
  if (permission) access = `Needs the permission <code>${escapeHtml(String(permission))}</code>.`;
  if (Array.isArray(operation.security) && operation.security.length === 0) access = 'No authentication.';

  return `<article class="operation" id="${escapeHtml(String(operation.operationId))}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code class="path">${escapeHtml(path)}</code></h3>
<p class="summary">${renderInline(String(operation.summary ?? ''))}</p>
${renderParagraphs(operation.description as string | undefined)}
<p class="access">${access}</p>
${renderParameters(operation.parameters as Record<string, unknown>[] | undefined)}
${renderRequestBody(operation.requestBody as Record<string, unknown> | undefined)}
${renderResponses(operation.responses as Record<string, Record<string, unknown>>, document)}
</article>`;
}

function renderParameters(parameters: Record<string, unknown>[] | undefined): string {
  if (!parameters?.length) return '';
  const rows = parameters.map(
    (parameter) =>
      `<tr><td><code>${escapeHtml(String(parameter.name))}</code>${parameter.required ? ' <span class="required">required</span>' : ''}</td><td>${escapeHtml(String(parameter.in))}</td><td>${renderSchema(parameter.schema as SchemaObject)}${renderParagraphs(parameter.description as string | undefined)}</td></tr>`,
  );
  return `<h4>Parameters</h4><table class="fields"><tbody>${rows.join('')}</tbody></table>`;
}

function renderRequestBody(requestBody: Record<string, unknown> | undefined): string {
  if (!requestBody) return '';
  const content = (requestBody.content ?? {}) as Record<string, { schema?: SchemaObject }>;
  const parts = Object.entries(content).map(([mediaType, media]) => `<p class="media">${escapeHtml(mediaType)}</p>${renderSchema(media.schema)}`);
  return `<h4>Request body${requestBody.required ? '' : ' (optional)'}</h4>${renderParagraphs(requestBody.description as string | undefined)}${parts.join('')}`;
}

function renderResponses(responses: Record<string, Record<string, unknown>>, document: OpenApiDocument): string {
  const rows = Object.entries(responses ?? {}).map(([status, declared]) => {
    const response = resolveResponse(declared, document);
    const content = (response.content ?? {}) as Record<string, { schema?: SchemaObject }>;
    const media = Object.entries(content)
      .map(([mediaType, item]) => `<p class="media">${escapeHtml(mediaType)}</p>${renderSchema(item.schema)}`)
      .join('');
    return `<tr><td class="status s${status[0]}">${escapeHtml(status)}</td><td>${renderInline(String(response.description ?? ''))}${media}</td></tr>`;
  });
  return `<h4>Responses</h4><table class="responses"><tbody>${rows.join('')}</tbody></table>`;
}

function resolveResponse(response: Record<string, unknown>, document: OpenApiDocument): Record<string, unknown> {
  const ref = response.$ref;
  if (typeof ref !== 'string') return response;
  const name = ref.split('/').at(-1) ?? '';
  return (document.components.responses[name] as Record<string, unknown> | undefined) ?? response;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}
