import type { FieldMapping, FieldRule } from './definition.js';

export interface RuleChange {
  target: string;
  kind: 'added' | 'removed' | 'changed';
  before?: FieldRule;
  after?: FieldRule;
  /** For a changed rule: which parts differ. */
  parts: ('input' | 'transforms' | 'reverse')[];
}

/**
 * Compares two mapping versions rule by rule, keyed by target, and lists the rules that were
 * added, removed or changed, in the order of the newer version (removed rules last).
 */
export function diffMappings(before: FieldMapping, after: FieldMapping): RuleChange[] {
  const older = new Map(before.fields.map((rule) => [rule.target, rule]));
  const newer = new Map(after.fields.map((rule) => [rule.target, rule]));
  const changes: RuleChange[] = [];

  for (const rule of after.fields) {
    const previous = older.get(rule.target);
    if (!previous) {
      changes.push({ target: rule.target, kind: 'added', after: rule, parts: [] });
      continue;
    }
    const parts: RuleChange['parts'] = [];
    if (stableJson(inputOf(previous)) !== stableJson(inputOf(rule))) parts.push('input');
    if (stableJson(previous.transforms ?? []) !== stableJson(rule.transforms ?? [])) parts.push('transforms');
    if (stableJson(previous.reverse ?? null) !== stableJson(rule.reverse ?? null)) parts.push('reverse');
    if (parts.length > 0) changes.push({ target: rule.target, kind: 'changed', before: previous, after: rule, parts });
  }

  for (const rule of before.fields) {
    if (!newer.has(rule.target)) changes.push({ target: rule.target, kind: 'removed', before: rule, parts: [] });
  }
  return changes;
}

function inputOf(rule: FieldRule): unknown {
  if (rule.source !== undefined) return { source: rule.source };
  if (rule.sources !== undefined) return { sources: rule.sources };
  return { constant: rule.constant ?? null };
}

/** Serializes JSON with object keys sorted, so key order never counts as a change. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    return Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}
