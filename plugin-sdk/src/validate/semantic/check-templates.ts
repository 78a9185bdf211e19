import type { ManifestIssue } from '../issue.js';
import { childPointer, pointerOf } from '../json-pointer.js';
import { asArray, asRecord, asString, recordEntries, type JsonRecord } from './read-json.js';
import { checkLookup, type TemplateScope } from './template-scope.js';
import { parseTemplate } from './template-syntax.js';

/**
 * Checks the syntax and variables of every template in a manifest: the base URL, allowed
 * hosts, OAuth URLs, every request (path, query values, headers, body strings) and an
 * HMAC webhook signature's signedContent.
 */
export function checkTemplates(manifest: JsonRecord, configNames: string[]): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  const check = (text: unknown, pointer: string, scope: TemplateScope): void => {
    if (typeof text === 'string') issues.push(...checkTemplate(text, pointer, scope, configNames));
  };
  const connectionScope: TemplateScope = { kind: 'connection' };

  const connection = asRecord(manifest.connection);
  check(connection?.baseUrl, '/connection/baseUrl', connectionScope);
  asArray(connection?.allowedHosts).forEach((host, index) => check(host, pointerOf('connection', 'allowedHosts', index), connectionScope));
  forEachRequestString(asRecord(connection?.test)?.request, '/connection/test/request', (text, pointer) =>
    check(text, pointer, connectionScope),
  );

  asArray(manifest.auth).forEach((method, index) => {
    const auth = asRecord(method);
    const pointer = pointerOf('auth', index);
    check(auth?.authorizationUrl, `${pointer}/authorizationUrl`, connectionScope);
    check(auth?.tokenUrl, `${pointer}/tokenUrl`, connectionScope);
    for (const [name, value] of recordEntries(auth?.extraAuthorizationParams)) {
      check(value, childPointer(`${pointer}/extraAuthorizationParams`, name), connectionScope);
    }
  });

  for (const [objectKey, objectValue] of recordEntries(manifest.objects)) {
    const object = asRecord(objectValue);
    const incrementalOperation = asString(asRecord(object?.incremental)?.operation);
    for (const [operationName, operationValue] of recordEntries(object?.operations)) {
      const pagination = asRecord(asRecord(operationValue)?.pagination);
      const scope: TemplateScope = {
        kind: 'operation',
        operationName,
        ...(typeof pagination?.type === 'string' ? { paginationType: pagination.type } : {}),
        hasPageSize: typeof pagination?.pageSize === 'number',
        readsIncrementalChanges: incrementalOperation === operationName,
      };
      forEachRequestString(operationValue, pointerOf('objects', objectKey, 'operations', operationName), (text, pointer) =>
        check(text, pointer, scope),
      );
    }
  }

  for (const [actionKey, actionValue] of recordEntries(manifest.actions)) {
    const action = asRecord(actionValue);
    const inputNames = recordEntries(asRecord(action?.input)?.properties).map(([name]) => name);
    const scope: TemplateScope = { kind: 'action', inputNames };
    forEachRequestString(action?.request, pointerOf('actions', actionKey, 'request'), (text, pointer) => check(text, pointer, scope));
  }

  const signature = asRecord(asRecord(manifest.webhooks)?.signature);
  if (signature?.scheme === 'hmac') {
    check(signature.signedContent, '/webhooks/signature/signedContent', { kind: 'webhookSignature' });
  }
  return issues;
}

function checkTemplate(text: string, pointer: string, scope: TemplateScope, configNames: string[]): ManifestIssue[] {
  const parsed = parseTemplate(text);
  const issues: ManifestIssue[] = parsed.problems.map((message) => ({ pointer, message, keyword: 'semantic:templateSyntax' }));
  for (const lookup of parsed.lookups) {
    const problem = checkLookup(lookup, scope, configNames);
    if (problem !== undefined) issues.push({ pointer, ...problem });
  }
  return issues;
}

/** Calls `visit` for each template string of a request: path, query values, header values and body strings. */
export function forEachRequestString(request: unknown, pointer: string, visit: (text: string, pointer: string) => void): void {
  const record = asRecord(request);
  if (record === undefined) return;

  if (typeof record.path === 'string') visit(record.path, `${pointer}/path`);
  for (const [name, value] of recordEntries(record.query)) {
    if (typeof value === 'string') visit(value, childPointer(`${pointer}/query`, name));
  }
  for (const [name, value] of recordEntries(record.headers)) {
    if (typeof value === 'string') visit(value, childPointer(`${pointer}/headers`, name));
  }
  if ('body' in record) forEachBodyString(record.body, `${pointer}/body`, visit);
}

function forEachBodyString(value: unknown, pointer: string, visit: (text: string, pointer: string) => void): void {
  if (typeof value === 'string') {
    visit(value, pointer);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => forEachBodyString(item, childPointer(pointer, index), visit));
  } else {
    for (const [key, item] of recordEntries(value)) forEachBodyString(item, childPointer(pointer, key), visit);
  }
}
