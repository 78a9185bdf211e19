import type { ManifestIssue } from '../issue.js';
import { pointerOf } from '../json-pointer.js';
import { suggestClosest } from '../levenshtein.js';
import { asArray, asRecord, asString, type JsonRecord } from './read-json.js';

/**
 * Checks that webhook routes name declared objects (with a get operation when the route
 * fetches) and that connectionLookup compares against a declared setting.
 */
export function checkWebhooks(manifest: JsonRecord, configNames: string[]): ManifestIssue[] {
  const webhooks = asRecord(manifest.webhooks);
  if (webhooks === undefined) return [];
  const objects = asRecord(manifest.objects) ?? {};
  const objectKeys = Object.keys(objects);
  const issues: ManifestIssue[] = [];

  asArray(webhooks.routes).forEach((routeValue, index) => {
    const route = asRecord(routeValue);
    const objectKey = asString(route?.object);
    if (objectKey === undefined) return;

    if (objects[objectKey] === undefined) {
      const suggestion = suggestClosest(objectKey, objectKeys);
      issues.push({
        pointer: pointerOf('webhooks', 'routes', index, 'object'),
        keyword: 'semantic:unknownObject',
        message: `Webhook route names the object '${objectKey}', which the manifest does not declare.`,
        ...(suggestion === undefined ? { expected: objectList(objectKeys) } : { suggestion }),
      });
      return;
    }

    const operations = asRecord(asRecord(objects[objectKey])?.operations);
    if (route?.action === 'fetch' && operations?.get === undefined) {
      issues.push({
        pointer: pointerOf('webhooks', 'routes', index, 'action'),
        keyword: 'semantic:missingGetOperation',
        message: `Route action 'fetch' reads the record with a get operation, which object '${objectKey}' does not define.`,
        expected: "'upsert' or 'delete', or a get operation on the object",
      });
    }
  });

  const configField = asString(asRecord(webhooks.connectionLookup)?.configField);
  if (configField !== undefined && !configNames.includes(configField)) {
    const suggestion = suggestClosest(configField, configNames);
    issues.push({
      pointer: '/webhooks/connectionLookup/configField',
      keyword: 'semantic:unknownConfigField',
      message: `connectionLookup compares against the setting '${configField}', which neither configSchema.properties nor any OAuth connectionFields declare.`,
      ...(suggestion === undefined ? {} : { suggestion }),
    });
  }
  return issues;
}

export function objectList(objectKeys: string[]): string {
  return objectKeys.length === 0 ? 'a key of objects (none are declared)' : `one of ${objectKeys.map((key) => `'${key}'`).join(', ')}`;
}
