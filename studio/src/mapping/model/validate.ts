import { mainType, type FieldCatalog } from './catalog.js';
import { readChain } from './chain.js';
import type { Transform } from './definition.js';
import { findNode, inputsOf, outputsOf, type CanonicalNode, type MappingGraph } from './graph.js';
import { applyTransformType, typeOfConstant, typesFit, UNKNOWN, type ValueType } from './infer-type.js';
import { missingParameters, transformSpec } from './transform-specs.js';

export type IssueCode =
  | 'requiredUnmapped'
  | 'typeMismatch'
  | 'formatMismatch'
  | 'missingParameter'
  | 'invalidTimeZone'
  | 'dateNeedsTimeZone'
  | 'unknownTransform'
  | 'noInput'
  | 'noOutput'
  | 'mixedInputs'
  | 'loop'
  | 'duplicateTarget'
  | 'server';

/**
 * A problem shown on one node. Errors stop a save; warnings do not. `params` fill the
 * message's placeholders: type names, a parameter name or a field path.
 */
export interface Issue {
  nodeId: string;
  severity: 'error' | 'warning';
  code: IssueCode;
  params?: Record<string, string>;
}

/** Checks a draft graph against the catalogue and returns the issues of every node. */
export function validateGraph(graph: MappingGraph, catalog: FieldCatalog | null): Issue[] {
  const issues: Issue[] = [];
  for (const node of graph.nodes) {
    if (node.kind === 'transform') issues.push(...checkTransform(graph, node.id, node.transform, catalog));
    if (node.kind === 'constant' && outputsOf(graph, node.id).length === 0) issues.push({ nodeId: node.id, severity: 'warning', code: 'noOutput' });
    if (node.kind === 'canonical') issues.push(...checkCanonical(graph, node, catalog));
  }
  return issues;
}

function checkTransform(graph: MappingGraph, nodeId: string, transform: Transform, catalog: FieldCatalog | null): Issue[] {
  const issues: Issue[] = [];
  const spec = transformSpec(transform.type, catalog);
  if (!spec) issues.push({ nodeId, severity: 'error', code: 'unknownTransform', params: { type: String(transform.type) } });
  for (const parameter of missingParameters(transform, spec)) {
    issues.push({ nodeId, severity: 'error', code: 'missingParameter', params: { transform: transform.type, parameter: parameter.name } });
  }

  if (transform.type === 'date') {
    if (transform.timeZone !== undefined && !isTimeZone(transform.timeZone)) {
      issues.push({ nodeId, severity: 'error', code: 'invalidTimeZone', params: { value: transform.timeZone } });
    }
    if (transform.to === 'localDateTime' && !transform.timeZone) issues.push({ nodeId, severity: 'error', code: 'dateNeedsTimeZone' });
  }

  if (inputsOf(graph, nodeId).length === 0) issues.push({ nodeId, severity: 'warning', code: 'noInput' });
  if (outputsOf(graph, nodeId).length === 0) issues.push({ nodeId, severity: 'warning', code: 'noOutput' });
  return issues;
}

function checkCanonical(graph: MappingGraph, node: CanonicalNode, catalog: FieldCatalog | null): Issue[] {
  const field = catalog?.canonicalFields.find((candidate) => candidate.name === node.target);
  const chain = readChain(graph, node);

  if (node.id.includes('~')) return [{ nodeId: node.id, severity: 'error', code: 'duplicateTarget', params: { field: node.target } }];
  if (chain.kind === 'empty') return field?.required ? [{ nodeId: node.id, severity: 'error', code: 'requiredUnmapped' }] : [];
  if (chain.kind === 'broken') return [{ nodeId: chain.nodeId, severity: 'error', code: chain.reason }];
  if (!field) return [];

  const expected: ValueType = { type: mainType(field.type), isArray: mainType(field.type) === 'array' };
  let produced: ValueType;
  if (chain.kind === 'constant') {
    produced = typeOfConstant(chain.value);
  } else if (chain.paths.length > 1) {
    produced = { type: null, isArray: true };
  } else {
    const provider = catalog?.providerFields.find((candidate) => candidate.path === chain.paths[0]);
    produced = provider ? { type: mainType(provider.type), isArray: provider.isArray } : UNKNOWN;
  }
  produced = chain.transforms.reduce(applyTransformType, produced);

  if (!typesFit(produced, expected)) {
    return [{ nodeId: node.id, severity: 'error', code: 'typeMismatch', params: { produced: typeName(produced), expected: typeName(expected) } }];
  }
  const wantsDate = field.format === 'date' || field.format === 'date-time';
  if (wantsDate && produced.format !== undefined && produced.format !== field.format) {
    return [{ nodeId: node.id, severity: 'warning', code: 'formatMismatch', params: { produced: produced.format, expected: field.format as string } }];
  }
  return [];
}

/** Names a type for a message: "string", "number", or "array" for a list. */
function typeName(value: ValueType): string {
  if (value.isArray) return 'array';
  return value.type ?? 'unknown';
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Lists the issues of one node. */
export function issuesOf(issues: Issue[], nodeId: string): Issue[] {
  return issues.filter((issue) => issue.nodeId === nodeId);
}

/**
 * Issues the platform would reject the mapping for. A required field left unmapped or a
 * type mismatch is shown as an error but does not stop a save, because a provider's default
 * mapping may already have them and a person must still be able to save other changes.
 */
const BLOCKING: ReadonlySet<IssueCode> = new Set(['missingParameter', 'invalidTimeZone', 'dateNeedsTimeZone', 'unknownTransform', 'mixedInputs', 'loop', 'duplicateTarget']);

/** Tells whether the graph has an issue that stops a save. */
export function hasBlockingIssues(graph: MappingGraph, issues: Issue[]): boolean {
  return issues.some((issue) => BLOCKING.has(issue.code) && findNode(graph, issue.nodeId) !== undefined);
}
