import type { ManifestIssue } from '../issue.js';
import { pointerOf } from '../json-pointer.js';
import { suggestClosest } from '../levenshtein.js';
import type { CanonicalSchemaSource } from './canonical-source.js';
import { checkConnection, readConfigNames } from './check-connection.js';
import { checkMappingRules } from './check-mappings.js';
import { checkObjects } from './check-objects.js';
import { checkRateLimits } from './check-rate-limits.js';
import { checkTemplates } from './check-templates.js';
import { checkWebhooks, objectList } from './check-webhooks.js';
import { asArray, asRecord, asString } from './read-json.js';

/**
 * Runs the checks that JSON Schema cannot express, on any object-shaped value. Parts with
 * the wrong shape are skipped, since the schema errors report them.
 */
export function checkManifestSemantics(value: unknown, canonical: CanonicalSchemaSource): ManifestIssue[] {
  const manifest = asRecord(value);
  if (manifest === undefined) return [];
  const configNames = readConfigNames(manifest);

  return [
    ...checkConnection(manifest),
    ...checkTemplates(manifest, configNames),
    ...checkObjects(manifest),
    ...checkRateLimits(manifest),
    ...checkWebhooks(manifest, configNames),
    ...checkDefaultMappings(manifest, canonical),
  ];
}

function checkDefaultMappings(manifest: Record<string, unknown>, canonical: CanonicalSchemaSource): ManifestIssue[] {
  const objectKeys = Object.keys(asRecord(manifest.objects) ?? {});
  const issues: ManifestIssue[] = [];

  asArray(manifest.mappings).forEach((mappingValue, index) => {
    const mapping = asRecord(mappingValue);
    if (mapping === undefined) return;
    const pointer = pointerOf('mappings', index);

    const objectKey = asString(mapping.object);
    if (objectKey !== undefined && !objectKeys.includes(objectKey)) {
      issues.push(unknownObjectIssue(objectKey, `${pointer}/object`, objectKeys));
    }
    issues.push(...checkMappingRules(mapping, pointer, canonical));
  });
  return issues;
}

/** Issue for a mapping whose `object` is not a key of the manifest's objects. */
export function unknownObjectIssue(objectKey: string, pointer: string, objectKeys: string[]): ManifestIssue {
  const suggestion = suggestClosest(objectKey, objectKeys);
  return {
    pointer,
    keyword: 'semantic:unknownObject',
    message: `Mapping names the object '${objectKey}', which the manifest does not declare.`,
    ...(suggestion === undefined ? { expected: objectList(objectKeys) } : { suggestion }),
  };
}
