import { LumioError } from '../errors/index.js';
import type { FieldMapping, FieldRule } from '../runtime/manifest-types.js';
import { compileSourceReader, compileTargetWriter, parseMappingPath, type PathStep, type SourceReader, type TargetWriter } from './field-path.js';
import { compileTransform } from './transforms/compile-transform.js';
import type { LookupStep, ValueStep } from './transforms/transform-step.js';

/** Value transforms up to the next lookup, which the mapper resolves for a whole page at once. */
export interface RuleStage {
  steps: ValueStep[];
  lookup: LookupStep | undefined;
}

export interface CompiledRule {
  /** Position of the rule in `fields`, for error messages. */
  index: number;
  target: string;
  read: SourceReader;
  write: TargetWriter;
  stages: RuleStage[];
}

/** A field mapping with paths parsed and transforms checked, ready to apply to many records. */
export interface CompiledMapping {
  object: string;
  canonicalObject: FieldMapping['canonicalObject'];
  rules: CompiledRule[];
  hasLookups: boolean;
}

/**
 * Compiles a field mapping once: parses every source and target path and checks every
 * transform's parameters. Raises `MAPPING_INVALID` naming the rule's index and target
 * for a bad path, a missing or doubled source, a bad transform, a target of "id", or
 * two targets that overlap ("address" and "address.city").
 */
export function compileMapping(mapping: FieldMapping): CompiledMapping {
  if (!Array.isArray(mapping.fields)) {
    throw new LumioError('MAPPING_INVALID', `The mapping for "${mapping.object}" has no "fields" array; add the field rules.`, {
      status: 400,
      fault: 'caller',
    });
  }

  const targets: { steps: PathStep[]; rule: number }[] = [];
  const rules = mapping.fields.map((rule, index) => {
    const compiled = compileRule(rule, index);
    const steps = parseMappingPath(rule.target) as PathStep[];
    const clash = targets.find((other) => overlaps(other.steps, steps));
    if (clash) {
      throw invalidRule(index, rule.target, `it overlaps the target of rule ${clash.rule} ("${mapping.fields[clash.rule]?.target}")`);
    }
    targets.push({ steps, rule: index });
    return compiled;
  });

  return {
    object: mapping.object,
    canonicalObject: mapping.canonicalObject,
    rules,
    hasLookups: rules.some((rule) => rule.stages.some((stage) => stage.lookup !== undefined)),
  };
}

function compileRule(rule: FieldRule, index: number): CompiledRule {
  const target = typeof rule.target === 'string' ? rule.target : '';
  const targetSteps = parseMappingPath(target);
  if (typeof targetSteps === 'string') throw invalidRule(index, target, `its target is invalid: ${targetSteps}`);
  if (targetSteps.length === 1 && targetSteps[0]?.key === 'id') {
    throw invalidRule(index, target, 'Lumio assigns the canonical "id" itself, so a mapping may not target it');
  }

  return {
    index,
    target,
    read: compileReader(rule, index, target),
    write: compileTargetWriter(targetSteps),
    stages: compileStages(rule, index, target),
  };
}

function compileReader(rule: FieldRule, index: number, target: string): SourceReader {
  const sourceKinds = [rule.source !== undefined, rule.sources !== undefined, Object.hasOwn(rule, 'constant')].filter(Boolean).length;
  if (sourceKinds !== 1) throw invalidRule(index, target, 'it needs exactly one of "source", "sources" or "constant"');

  if (rule.source !== undefined) return compileSource(rule.source, index, target);

  if (rule.sources !== undefined) {
    if (!Array.isArray(rule.sources) || rule.sources.length === 0) throw invalidRule(index, target, '"sources" must be a non-empty list');
    const readers = rule.sources.map((source) => compileSource(source, index, target));
    return (record) => readers.map((read) => read(record));
  }

  const constant = rule.constant ?? null;
  return () => constant;
}

function compileSource(source: unknown, index: number, target: string): SourceReader {
  const steps = typeof source === 'string' ? parseMappingPath(source) : 'a source must be a dot path';
  if (typeof steps === 'string') throw invalidRule(index, target, `its source ${JSON.stringify(source)} is invalid: ${steps}`);
  return compileSourceReader(steps);
}

function compileStages(rule: FieldRule, index: number, target: string): RuleStage[] {
  if (rule.transforms !== undefined && !Array.isArray(rule.transforms)) throw invalidRule(index, target, '"transforms" must be a list');

  const stages: RuleStage[] = [{ steps: [], lookup: undefined }];
  (rule.transforms ?? []).forEach((transform, position) => {
    const step = transform && typeof transform === 'object' ? compileTransform(transform) : 'a transform must be an object';
    if (typeof step === 'string') throw invalidRule(index, target, `transform ${position}: ${step}`);

    const current = stages[stages.length - 1] as RuleStage;
    if (step.kind === 'lookup') {
      current.lookup = step;
      stages.push({ steps: [], lookup: undefined });
    } else {
      current.steps.push(step);
    }
  });
  return stages;
}

/** Two targets overlap when one path is a prefix of the other; "items[].a" and "items[].b" do not. */
function overlaps(left: readonly PathStep[], right: readonly PathStep[]): boolean {
  const shared = Math.min(left.length, right.length);
  for (let index = 0; index < shared; index += 1) {
    const a = left[index] as PathStep;
    const b = right[index] as PathStep;
    if (a.key !== b.key) return false;
    if (a.fansOut !== b.fansOut) return true;
  }
  return true;
}

function invalidRule(index: number, target: string, problem: string): LumioError {
  return new LumioError('MAPPING_INVALID', `Mapping rule ${index} (target "${target}") is invalid because ${problem}; fix the mapping.`, {
    status: 400,
    fault: 'caller',
    details: { ruleIndex: index, target },
  });
}
