import { isSchemaObject, type LocatedSchema, type SchemaRegistry } from '../../json-schema/index.js';
import { suggestClosest } from '../levenshtein.js';

/** Failure to resolve a canonical path: the failing segment, the reason, and the names valid there. */
export interface PathFailure {
  /** Index of the first segment that fails. */
  segmentIndex: number;
  reason: 'unknownField' | 'notAnArray' | 'arrayNeedsBrackets';
  /** Field names allowed at the failing segment. */
  candidates: string[];
  /** The whole path with the failing segment replaced by its closest candidate, if any. */
  suggestion?: string;
}

/**
 * Resolves a dot path such as "address.city" or "lineItems[].sku" in a canonical schema.
 * Returns undefined when the path exists, or else the first failure.
 *
 * A segment ending in "[]" must name an array, and the path continues into its items.
 * A segment inside a free-key map (such as customFields) must match the map's key pattern.
 */
export function findPathFailure(path: string, root: LocatedSchema, registry: SchemaRegistry): PathFailure | undefined {
  const segments = path.split('.');
  let current = registry.dereference(root);

  for (const [index, segment] of segments.entries()) {
    const wantsArray = segment.endsWith('[]');
    const name = wantsArray ? segment.slice(0, -2) : segment;
    const candidates = fieldNames(current);

    let next = current === undefined ? undefined : childSchema(current, name, registry);
    if (next === undefined) {
      return failure(segments, index, 'unknownField', candidates, suggestClosest(name, candidates));
    }

    const isArray = next.schema.type === 'array';
    if (wantsArray && !isArray) return failure(segments, index, 'notAnArray', candidates, name);
    if (!wantsArray && isArray && index < segments.length - 1) {
      return failure(segments, index, 'arrayNeedsBrackets', candidates, `${name}[]`);
    }
    if (wantsArray) {
      next = isSchemaObject(next.schema.items)
        ? registry.dereference({ schema: next.schema.items, documentId: next.documentId })
        : undefined;
    }
    current = next;
  }
  return undefined;
}

function childSchema(parent: LocatedSchema, name: string, registry: SchemaRegistry): LocatedSchema | undefined {
  const properties = parent.schema.properties;
  const declared = isSchemaObject(properties) ? properties[name] : undefined;
  if (isSchemaObject(declared)) return registry.dereference({ schema: declared, documentId: parent.documentId });

  const valueSchema = parent.schema.additionalProperties;
  const keyRule = parent.schema.propertyNames;
  const pattern = isSchemaObject(keyRule) && typeof keyRule.pattern === 'string' ? new RegExp(keyRule.pattern, 'u') : undefined;
  if (isSchemaObject(valueSchema) && (pattern === undefined || pattern.test(name))) {
    return registry.dereference({ schema: valueSchema, documentId: parent.documentId });
  }
  return undefined;
}

function fieldNames(located: LocatedSchema | undefined): string[] {
  const properties = located?.schema.properties;
  return isSchemaObject(properties) ? Object.keys(properties) : [];
}

function failure(
  segments: string[],
  segmentIndex: number,
  reason: PathFailure['reason'],
  candidates: string[],
  replacement: string | undefined,
): PathFailure {
  if (replacement === undefined) return { segmentIndex, reason, candidates };
  const suggested = segments.map((segment, index) => (index === segmentIndex ? replacement : segment));
  return { segmentIndex, reason, candidates, suggestion: suggested.join('.') };
}
