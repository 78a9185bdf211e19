import type { ManifestIssue } from '../issue.js';
import { pointerOf } from '../json-pointer.js';
import { suggestClosest } from '../levenshtein.js';
import { asArray, asRecord, recordEntries, type JsonRecord } from './read-json.js';

/**
 * Returns the names templates may read as `config.<name>`: the configSchema properties,
 * plus the token response fields that OAuth methods keep as settings (connectionFields).
 */
export function readConfigNames(manifest: JsonRecord): string[] {
  const configSchema = asRecord(asRecord(manifest.connection)?.configSchema);
  const names = recordEntries(configSchema?.properties).map(([name]) => name);
  for (const method of asArray(manifest.auth)) {
    for (const field of asArray(asRecord(method)?.connectionFields)) {
      if (typeof field === 'string' && !names.includes(field)) names.push(field);
    }
  }
  return names;
}

/** Checks that every name in configSchema.required is a declared setting. */
export function checkConnection(manifest: JsonRecord): ManifestIssue[] {
  const configSchema = asRecord(asRecord(manifest.connection)?.configSchema);
  const declared = recordEntries(configSchema?.properties).map(([name]) => name);
  const issues: ManifestIssue[] = [];

  asArray(configSchema?.required).forEach((name, index) => {
    if (typeof name !== 'string' || declared.includes(name)) return;
    const suggestion = suggestClosest(name, declared);
    issues.push({
      pointer: pointerOf('connection', 'configSchema', 'required', index),
      keyword: 'semantic:unknownRequiredSetting',
      message: `Setting '${name}' is listed as required, but configSchema.properties does not declare it.`,
      ...(suggestion === undefined ? {} : { suggestion }),
    });
  });
  return issues;
}
