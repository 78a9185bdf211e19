import { describeType, joinList } from '../describe-value.js';
import type { ManifestIssue } from '../issue.js';
import { childPointer, pointerOf } from '../json-pointer.js';
import { asArray, asRecord, asString, recordEntries, type JsonRecord } from './read-json.js';
import { findRecordPathFailure, type RecordPathFailure, type RecordPathSyntax } from './record-paths.js';

/** Effect of a wrong path at run time, for each kind of path, as the start of a sentence. */
const CONSEQUENCES = {
  source: 'The mapping would write null to its target',
  cursorField: 'Incremental runs would find no cursor and re-read every record',
  tieBreakerField: 'Records that share a cursor value would have no tie-breaker to order them',
} as const;

/**
 * Checks the record paths of a manifest against each object's recordSchema: incremental
 * cursor and tie-breaker fields, and the sources of the default mappings. Mappings of an
 * object the manifest does not declare are skipped, since validateManifest reports them.
 *
 * A manifest that declares a plugin gets no mapping source check: its transformPage hook
 * may add or rename fields before the mapping reads them, and a static check cannot see
 * that. The cursor fields are still checked, because the runtime reads the cursor from the
 * records before transformPage.
 */
export function checkRecordPaths(value: unknown): ManifestIssue[] {
  const manifest = asRecord(value);
  if (manifest === undefined) return [];
  const issues = checkIncrementalFields(manifest);
  if (manifest.plugin !== undefined) return issues;

  asArray(manifest.mappings).forEach((mappingValue, index) => {
    const mapping = asRecord(mappingValue);
    const objectKey = asString(mapping?.object);
    if (mapping === undefined || objectKey === undefined) return;
    const recordSchema = asRecord(asRecord(asRecord(manifest.objects)?.[objectKey])?.recordSchema);
    if (recordSchema !== undefined) issues.push(...checkMappingSources(mapping, pointerOf('mappings', index), objectKey, recordSchema));
  });
  return issues;
}

/**
 * Checks that each object's incremental cursorField and tieBreakerField name a field of
 * its recordSchema. A wrong path raises no error at run time: the runtime finds no
 * cursor in any record, saves none, and every incremental run reads everything again.
 */
export function checkIncrementalFields(manifest: JsonRecord): ManifestIssue[] {
  const issues: ManifestIssue[] = [];

  for (const [objectKey, objectValue] of recordEntries(manifest.objects)) {
    const object = asRecord(objectValue);
    const incremental = asRecord(object?.incremental);
    const recordSchema = asRecord(object?.recordSchema);
    if (incremental === undefined || recordSchema === undefined) continue;

    for (const field of ['cursorField', 'tieBreakerField'] as const) {
      const path = asString(incremental[field]);
      if (path === undefined || path === '') continue;
      const failure = findRecordPathFailure(path, recordSchema, 'valuePath');
      if (failure === undefined) continue;
      issues.push(
        recordPathIssue({
          pointer: pointerOf('objects', objectKey, 'incremental', field),
          keyword: field === 'cursorField' ? 'semantic:unknownCursorField' : 'semantic:unknownTieBreakerField',
          noun: field === 'cursorField' ? 'Cursor field' : 'Tie-breaker field',
          consequence: CONSEQUENCES[field],
          path,
          objectKey,
          failure,
          syntax: 'valuePath',
        }),
      );
    }
  }
  return issues;
}

/**
 * Checks that every `source` and `sources` path of a mapping at `pointer` names a field of
 * the mapped object's recordSchema. A missing path is not an error at run time: the rule
 * reads null.
 */
export function checkMappingSources(mapping: JsonRecord, pointer: string, objectKey: string, recordSchema: JsonRecord): ManifestIssue[] {
  const issues: ManifestIssue[] = [];

  asArray(mapping.fields).forEach((ruleValue, index) => {
    const rule = asRecord(ruleValue);
    const rulePointer = childPointer(`${pointer}/fields`, index);

    const located: [string, string][] = [];
    const source = asString(rule?.source);
    if (source !== undefined) located.push([source, `${rulePointer}/source`]);
    asArray(rule?.sources).forEach((item, sourceIndex) => {
      if (typeof item === 'string') located.push([item, childPointer(`${rulePointer}/sources`, sourceIndex)]);
    });

    for (const [path, sourcePointer] of located) {
      if (path === '') continue;
      const failure = findRecordPathFailure(path, recordSchema, 'mappingSource');
      if (failure === undefined) continue;
      issues.push(
        recordPathIssue({
          pointer: sourcePointer,
          keyword: 'semantic:unknownMappingSource',
          noun: 'Source',
          consequence: CONSEQUENCES.source,
          path,
          objectKey,
          failure,
          syntax: 'mappingSource',
        }),
      );
    }
  });
  return issues;
}

interface RecordPathIssueInput {
  pointer: string;
  keyword: string;
  /** Capitalized name of the path for the message, e.g. "Source". */
  noun: string;
  /** Effect of the wrong path at run time, as the start of a sentence. */
  consequence: string;
  path: string;
  objectKey: string;
  failure: RecordPathFailure;
  syntax: RecordPathSyntax;
}

function recordPathIssue(input: RecordPathIssueInput): ManifestIssue {
  const { failure, noun, path, objectKey } = input;
  const segments = path.split('.');
  const segment = segments[failure.segmentIndex] ?? '';
  const name = input.syntax === 'mappingSource' ? segment.replace(/\[\]$/, '') : segment;
  const parent = segments.slice(0, failure.segmentIndex).join('.');
  const schemaName = `the recordSchema of object '${objectKey}'`;
  const place = parent === '' ? schemaName : `'${parent}' in ${schemaName}`;

  const reasons: Record<RecordPathFailure['reason'], string> = {
    unknownField: `does not exist: ${place} has no field '${name}'`,
    insideScalar: `reads inside '${parent}', which ${schemaName} declares as ${joinList((failure.parentTypes ?? []).map(describeType))}`,
    insideArray:
      input.syntax === 'mappingSource'
        ? `reads inside the array '${parent}' without "[]"`
        : `reads a field of the array '${parent}' instead of one of its elements`,
    notAnArray: `uses "[]" on '${name}', which is not an array in ${place}`,
    bracketsInValuePath: 'contains "[" or "]", but it names a single value, so an array element is written with its index, as in \'items.0.updatedAt\'',
  };
  const issue: ManifestIssue = {
    pointer: input.pointer,
    keyword: input.keyword,
    message: `${noun} '${path}' ${reasons[failure.reason]}. ${input.consequence}; fix the path, or the recordSchema if it does not match the provider's records.`,
  };
  if (failure.suggestion !== undefined) {
    issue.suggestion = failure.suggestion;
  } else if (failure.candidates.length > 0) {
    issue.expected = `one of ${failure.candidates.map((candidate) => `'${candidate}'`).join(', ')}`;
  }
  return issue;
}
