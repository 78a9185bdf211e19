import { joinList } from '../describe-value.js';
import { suggestClosest } from '../levenshtein.js';
import type { TemplateLookup } from './template-syntax.js';

/** Operations whose requests name one record, so templates may use `{{ id }}`. */
export const RECORD_ID_OPERATIONS = ['get', 'update', 'delete'];

/** Operations that page through records. */
export const LIST_OPERATIONS = ['list', 'search', 'listDeleted'];

/** Variables of an HMAC webhook signature's `signedContent`. */
const SIGNED_CONTENT_VARIABLES = ['method', 'url', 'timestamp', 'id', 'body'];

/** Where a template sits, which decides the variables it may use. */
export type TemplateScope =
  /** Base URL, allowed hosts, OAuth URLs and the connection test: connection settings only. */
  | { kind: 'connection' }
  | {
      kind: 'operation';
      operationName: string;
      /** Pagination type of the operation, if any. */
      paginationType?: string;
      /** Whether the operation's pagination sets pageSize. */
      hasPageSize: boolean;
      /** Whether incremental sync reads changes with this operation. */
      readsIncrementalChanges: boolean;
    }
  | { kind: 'action'; inputNames: string[] }
  | { kind: 'webhookSignature' };

/** Problem found in one lookup, in the shape of a ManifestIssue without its pointer. */
export interface LookupProblem {
  message: string;
  expected?: string;
  suggestion?: string;
  keyword: 'semantic:unknownConfigField' | 'semantic:unknownTemplateVariable' | 'semantic:unknownActionParameter';
}

/**
 * Checks one lookup against its scope. `configNames` are the connection settings: the
 * configSchema properties and any OAuth connectionFields.
 */
export function checkLookup(lookup: TemplateLookup, scope: TemplateScope, configNames: string[]): LookupProblem | undefined {
  const { variable, segments } = lookup;
  const [root = '', ...rest] = segments;

  if (scope.kind === 'webhookSignature') {
    if (SIGNED_CONTENT_VARIABLES.includes(variable)) return undefined;
    return unknownVariable(variable, SIGNED_CONTENT_VARIABLES);
  }

  switch (root) {
    case 'config':
      return checkConfigLookup(variable, rest, configNames);
    case 'id':
      if (scope.kind === 'operation' && RECORD_ID_OPERATIONS.includes(scope.operationName) && rest.length === 0) return undefined;
      return unavailable(variable, `'id' is available only in ${joinList(RECORD_ID_OPERATIONS, 'and')} operations`, scope, configNames);
    case 'cursor':
      if (scope.kind === 'operation' && scope.paginationType === 'cursor' && rest.length === 0) return undefined;
      return unavailable(variable, "'cursor' is available only in operations with cursor pagination", scope, configNames);
    case 'pageSize':
      if (scope.kind === 'operation' && scope.hasPageSize && rest.length === 0) return undefined;
      return unavailable(variable, "'pageSize' is available only in operations whose pagination sets pageSize", scope, configNames);
    case 'incremental':
      if (scope.kind === 'operation' && scope.readsIncrementalChanges && rest.length === 1 && ['since', 'tieBreaker'].includes(rest[0] ?? '')) {
        return undefined;
      }
      return unavailable(
        variable,
        "'incremental.since' and 'incremental.tieBreaker' are available only in the operation that incremental.operation names",
        scope,
        configNames,
      );
    case 'params':
      return checkParamsLookup(variable, rest, scope, configNames);
    default:
      return unknownVariable(variable, availableVariables(scope, configNames));
  }
}

/** Lists the variables a scope offers, e.g. ["config.shop", "id"], for messages and suggestions. */
export function availableVariables(scope: TemplateScope, configNames: string[]): string[] {
  if (scope.kind === 'webhookSignature') return [...SIGNED_CONTENT_VARIABLES];
  const names = configNames.map((name) => `config.${name}`);
  if (scope.kind === 'action') names.push(...scope.inputNames.map((name) => `params.${name}`));
  if (scope.kind === 'operation') {
    if (RECORD_ID_OPERATIONS.includes(scope.operationName)) names.push('id');
    if (scope.paginationType === 'cursor') names.push('cursor');
    if (scope.hasPageSize) names.push('pageSize');
    if (scope.readsIncrementalChanges) names.push('incremental.since', 'incremental.tieBreaker');
  }
  return names;
}

function checkConfigLookup(variable: string, rest: string[], configNames: string[]): LookupProblem | undefined {
  const [name] = rest;
  if (name === undefined) {
    return {
      keyword: 'semantic:unknownConfigField',
      message: `Template variable 'config' needs a setting name, as in 'config.<name>'.`,
      expected: settingList(configNames),
    };
  }
  if (!configNames.includes(name)) {
    const closest = suggestClosest(name, configNames);
    return {
      keyword: 'semantic:unknownConfigField',
      message: `Template variable '${variable}' names the setting '${name}', which connection.configSchema.properties does not declare.`,
      ...(closest === undefined ? { expected: settingList(configNames) } : { suggestion: `config.${closest}` }),
    };
  }
  if (rest.length > 1) {
    return {
      keyword: 'semantic:unknownConfigField',
      message: `Template variable '${variable}' reads inside the setting '${name}', but settings are single values.`,
      suggestion: `config.${name}`,
    };
  }
  return undefined;
}

function checkParamsLookup(variable: string, rest: string[], scope: TemplateScope, configNames: string[]): LookupProblem | undefined {
  if (scope.kind !== 'action') {
    return unavailable(variable, "'params' is available only in action requests", scope, configNames);
  }
  const [name] = rest;
  if (name !== undefined && scope.inputNames.includes(name)) return undefined;
  const closest = name === undefined ? undefined : suggestClosest(name, scope.inputNames);
  return {
    keyword: 'semantic:unknownActionParameter',
    message:
      name === undefined
        ? `Template variable 'params' needs a parameter name, as in 'params.<name>'.`
        : `Template variable '${variable}' names the parameter '${name}', which the action's input does not declare.`,
    ...(closest === undefined
      ? { expected: joinList(scope.inputNames.map((known) => `'params.${known}'`)) || 'no parameters (the input declares none)' }
      : { suggestion: `params.${closest}` }),
  };
}

function unavailable(variable: string, reason: string, scope: TemplateScope, configNames: string[]): LookupProblem {
  const available = availableVariables(scope, configNames);
  return {
    keyword: 'semantic:unknownTemplateVariable',
    message: `Template variable '${variable}' is not available here: ${reason}.`,
    expected: available.length === 0 ? 'no variables' : `one of ${available.map((name) => `'${name}'`).join(', ')}`,
  };
}

function unknownVariable(variable: string, available: string[]): LookupProblem {
  const suggestion = suggestClosest(variable, available);
  return {
    keyword: 'semantic:unknownTemplateVariable',
    message: `Unknown template variable '${variable}'.`,
    expected: available.length === 0 ? 'no variables' : `one of ${available.map((name) => `'${name}'`).join(', ')}`,
    ...(suggestion === undefined ? {} : { suggestion }),
  };
}

function settingList(configNames: string[]): string {
  if (configNames.length === 0) return 'no settings (configSchema.properties is empty)';
  return `one of ${configNames.map((name) => `'config.${name}'`).join(', ')}`;
}
