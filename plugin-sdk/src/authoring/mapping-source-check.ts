import type { FieldMapping, FieldRule } from '../generated/field-mapping.js';
import type { ConnectorManifest } from '../generated/manifest.js';
import { count } from './command-support.js';
import type { PlatformRuntime } from './platform-runtime.js';
import type { MappedPage } from './stream-session.js';

/** A source path of the default mapping and the targets of the rules that read it. */
interface SourceUse {
  path: string;
  targets: string[];
  /** Steps of the path that end in "[]", each of which nests the value read one array deeper. */
  fanOuts: number;
  found: boolean;
}

/**
 * Finds the source paths of an object's default mapping that had no value (missing or
 * null) in any record a `run` read. `validate` checks sources against recordSchema only,
 * so a typo made in both passes it, and the rule then reads null from every record.
 */
export class MappingSourceCheck {
  #records = 0;
  /** A mapping with one rule per source path, so the platform reads each path as a sync would. */
  #probe: object | undefined;

  private constructor(
    private readonly platform: PlatformRuntime,
    private readonly mapping: FieldMapping,
    private readonly sources: SourceUse[],
  ) {}

  /** Creates the check for an object, or returns undefined when its default mapping reads no source path. */
  static create(platform: PlatformRuntime, manifest: ConnectorManifest, object: string): MappingSourceCheck | undefined {
    const mapping = manifest.mappings?.find((candidate) => candidate.object === object);
    if (mapping === undefined) return undefined;

    const sources = new Map<string, SourceUse>();
    for (const rule of mapping.fields) {
      for (const path of listSourcePaths(rule)) {
        const use = sources.get(path) ?? { path, targets: [], fanOuts: path.split('.').filter((step) => step.endsWith('[]')).length, found: false };
        if (!use.targets.includes(rule.target)) use.targets.push(rule.target);
        sources.set(path, use);
      }
    }
    if (sources.size === 0) return undefined;
    return new MappingSourceCheck(platform, mapping as FieldMapping, [...sources.values()]);
  }

  /** Counts a page's records and marks the source paths that have a value in one of them. */
  async countPage(page: MappedPage): Promise<void> {
    // listDeleted often returns only ids, so a path missing from its records may well be correct.
    if (page.phase === 'listDeleted' || page.raw.length === 0) return;
    this.#records += page.raw.length;

    const unseen = this.sources.filter((source) => !source.found);
    if (unseen.length === 0) return;
    // Compiled at the first page, after the session compiled the whole mapping, so a bad path
    // fails there with the rule's own index and target.
    this.#probe ??= this.platform.compileMapping({
      object: this.mapping.object,
      canonicalObject: this.mapping.canonicalObject,
      fields: this.sources.map((source, index) => ({ target: probeTarget(index), source: source.path })),
    });

    const mapped = await this.platform.applyMapping(this.#probe, page.raw);
    for (const source of unseen) {
      const target = probeTarget(this.sources.indexOf(source));
      source.found = mapped.some((record) => hasMappedValue(record.data[target], source.fanOuts));
    }
  }

  /** Source paths with no value in any record counted, or none when no record was counted. */
  get emptyPaths(): string[] {
    return this.#emptySources().map((source) => source.path);
  }

  /**
   * Returns one warning line per path of `emptyPaths` except `skippedPath`, naming its targets
   * and what to check.
   */
  warnings(skippedPath?: string): string[] {
    const sources = this.#emptySources().filter((source) => source.path !== skippedPath);
    return sources.map((source) => {
      const targets = `${source.targets.length === 1 ? 'target' : 'targets'} ${source.targets.map((target) => `"${target}"`).join(', ')}`;
      return (
        `warning: mapping source "${source.path}" (${targets}) of "${this.mapping.object}" was missing or null in all ${count(this.#records, 'record')} read. ` +
        'Check that the path matches a field of the records that --raw prints; if it has a typo, fix it in the mappings of manifest.json and in recordSchema.'
      );
    });
  }

  #emptySources(): SourceUse[] {
    if (this.#records === 0) return [];
    return this.sources.filter((source) => !source.found);
  }
}

function listSourcePaths(rule: FieldRule): string[] {
  if (typeof rule.source === 'string') return [rule.source];
  if (Array.isArray(rule.sources)) return rule.sources.filter((path): path is string => typeof path === 'string');
  return [];
}

function probeTarget(index: number): string {
  return `source${index}`;
}

/**
 * Tests whether a value read at a source path is present. A path with "[]" steps reads an
 * array per step, so it has a value when one element at the innermost level is not null.
 */
function hasMappedValue(value: unknown, fanOuts: number): boolean {
  if (value === undefined || value === null) return false;
  if (fanOuts === 0 || !Array.isArray(value)) return true;
  return value.some((element) => hasMappedValue(element, fanOuts - 1));
}
