import type { FieldMapping, FieldRule, Transform } from '@lumio/plugin-sdk';

import { LumioError } from '../errors/index.js';
import { compileMapping, type CompiledMapping } from '../mapping/index.js';
import { invertTransform } from './invert-transform.js';
import { isPlainPath, pathsOverlap } from './plain-path.js';

/**
 * Canonical fields that the provider sets itself (when a record was created or last
 * changed), so write-back never sends them.
 */
export const PROVIDER_MANAGED_FIELDS: readonly string[] = ['createdAt', 'updatedAt'];

/** One canonical field written to one provider field. */
export interface ReverseRule {
  /** Position of the field rule in the mapping. */
  ruleIndex: number;
  /** Canonical field read, e.g. `firstName`. */
  canonicalPath: string;
  /** Provider field written, e.g. `properties.firstname`. */
  providerPath: string;
  /** Canonical object whose record ids are replaced by external ids after the first transforms, if any. */
  externalIdOf: string | undefined;
  /** True when the mapping declared this rule in a `reverse` entry instead of having it derived. */
  declared: boolean;
}

/** A field rule that write-back leaves out, and why. */
export interface SkippedRule {
  ruleIndex: number;
  canonicalPath: string;
  /** Completes "… is not written back because …". */
  reason: string;
}

/** The inverse of a field mapping: how canonical fields become provider fields. */
export interface ReverseMapping {
  /** Manifest object key, e.g. `contacts`. */
  object: string;
  canonicalObject: string;
  rules: ReverseRule[];
  skipped: SkippedRule[];
  /** Runs each rule's transforms up to its external id step, or all of them: target `f<index in rules>`. */
  firstPass: CompiledMapping;
  /** Runs the transforms after the external id step of the rules that have one. */
  secondPass: CompiledMapping;
}

/**
 * Optional `reverse` key of a field rule. `false` keeps the field out of write-back. An
 * entry, or a list of them, writes the rule's canonical field to `target` (default: the
 * rule's `source`) after running `transforms`, which use the forward transform types.
 */
interface ReverseDeclaration {
  target?: string;
  transforms?: Transform[];
}

interface RulePlan {
  rule: ReverseRule;
  before: Transform[];
  after: Transform[];
}

/**
 * Derives the reverse of a field mapping. A rule with one `source` is inverted when all its
 * transforms have an inverse (see `invertTransform`). Other rules are skipped with a
 * reason unless they declare `reverse`. When two rules would write the same provider
 * field, the first one wins. Raises MAPPING_INVALID for a malformed `reverse` key.
 */
export function compileReverseMapping(mapping: FieldMapping): ReverseMapping {
  const plans: RulePlan[] = [];
  const skipped: SkippedRule[] = [];

  mapping.fields.forEach((rule, ruleIndex) => {
    const outcome = planRule(rule, ruleIndex);
    for (const item of outcome) {
      if ('reason' in item) {
        skipped.push(item);
        continue;
      }
      const clash = plans.find((plan) => pathsOverlap(plan.rule.providerPath, item.rule.providerPath));
      if (clash) {
        skipped.push({ ruleIndex, canonicalPath: item.rule.canonicalPath, reason: `rule ${clash.rule.ruleIndex} already writes ${clash.rule.providerPath}` });
        continue;
      }
      plans.push(item);
    }
  });

  return {
    object: mapping.object,
    canonicalObject: mapping.canonicalObject,
    rules: plans.map((plan) => plan.rule),
    skipped,
    firstPass: compilePass(mapping, plans.map((plan) => plan.before)),
    secondPass: compilePass(mapping, plans.map((plan) => plan.after)),
  };
}

function planRule(rule: FieldRule, ruleIndex: number): (RulePlan | SkippedRule)[] {
  const canonicalPath = rule.target;
  const skip = (reason: string): SkippedRule[] => [{ ruleIndex, canonicalPath, reason }];

  if (PROVIDER_MANAGED_FIELDS.includes(canonicalPath)) return skip('the provider sets it');
  if (!isPlainPath(canonicalPath)) return skip('write-back does not follow array paths');

  const declared = (rule as FieldRule & { reverse?: unknown }).reverse;
  if (declared === false) return skip('its mapping rule turns write-back off');
  if (declared !== undefined) return planDeclared(rule, ruleIndex, declared);

  if (rule.source === undefined) {
    return skip(rule.sources !== undefined ? 'its mapping rule combines several provider fields' : 'its mapping rule writes a constant');
  }
  if (!isPlainPath(rule.source)) return skip('write-back does not follow array paths');

  return planDerived(rule, ruleIndex, rule.source);
}

/** Inverts the transforms in reverse order; at most one lookup becomes an external id step. */
function planDerived(rule: FieldRule, ruleIndex: number, source: string): (RulePlan | SkippedRule)[] {
  const before: Transform[] = [];
  const after: Transform[] = [];
  let externalIdOf: string | undefined;

  for (const transform of [...(rule.transforms ?? [])].reverse()) {
    const inverse = invertTransform(transform);
    if (inverse.kind === 'none') return [{ ruleIndex, canonicalPath: rule.target, reason: inverse.reason }];
    if (inverse.kind === 'identity') continue;
    if (inverse.kind === 'externalId') {
      if (externalIdOf !== undefined) return [{ ruleIndex, canonicalPath: rule.target, reason: 'its mapping rule has more than one lookup' }];
      externalIdOf = inverse.canonicalObject;
      continue;
    }
    (externalIdOf === undefined ? before : after).push(inverse.transform);
  }

  return [{ rule: { ruleIndex, canonicalPath: rule.target, providerPath: source, externalIdOf, declared: false }, before, after }];
}

function planDeclared(rule: FieldRule, ruleIndex: number, declared: unknown): RulePlan[] {
  const entries = Array.isArray(declared) ? declared : [declared];
  return entries.map((entry: unknown, position) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw invalidReverse(ruleIndex, rule.target, `reverse entry ${position} must be an object with "target" and "transforms", or false`);
    }
    const { target, transforms } = entry as ReverseDeclaration;
    const providerPath = target ?? rule.source;
    if (typeof providerPath !== 'string' || !isPlainPath(providerPath)) {
      throw invalidReverse(ruleIndex, rule.target, `reverse entry ${position} needs "target", a dot path of the provider field without "[]"`);
    }
    if (transforms !== undefined && !Array.isArray(transforms)) {
      throw invalidReverse(ruleIndex, rule.target, `reverse entry ${position} has "transforms" that is not a list`);
    }
    if (transforms?.some((transform) => transform?.type === 'lookup')) {
      throw invalidReverse(ruleIndex, rule.target, `reverse entry ${position} uses a lookup, which a declared reverse cannot`);
    }
    return { rule: { ruleIndex, canonicalPath: rule.target, providerPath, externalIdOf: undefined, declared: true }, before: transforms ?? [], after: [] };
  });
}

/** Compiles one transform list per rule as a mapping from `f<i>` to `f<i>`, so the mapping engine runs and checks them. */
function compilePass(mapping: FieldMapping, transformLists: Transform[][]): CompiledMapping {
  const fields: FieldRule[] = transformLists.map((transforms, index) => ({ target: `f${index}`, source: `f${index}`, transforms }));
  try {
    return compileMapping({ object: mapping.object, canonicalObject: mapping.canonicalObject, fields });
  } catch (error) {
    throw new LumioError('MAPPING_INVALID', `The reverse of the mapping for "${mapping.object}" is invalid: ${(error as Error).message}`, {
      status: 400,
      fault: 'caller',
      cause: error,
    });
  }
}

function invalidReverse(ruleIndex: number, target: string, problem: string): LumioError {
  return new LumioError('MAPPING_INVALID', `Mapping rule ${ruleIndex} (target "${target}") is invalid because ${problem}; fix the mapping.`, {
    status: 400,
    fault: 'caller',
    details: { ruleIndex, target },
  });
}
