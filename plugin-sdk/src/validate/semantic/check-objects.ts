import { quote } from '../describe-value.js';
import type { ManifestIssue } from '../issue.js';
import { pointerOf } from '../json-pointer.js';
import { asRecord, asString, recordEntries, type JsonRecord } from './read-json.js';

/** Pagination types that send their position in the request, as a query parameter or in the body. */
const POSITION_NAMES: Record<string, string> = { cursor: 'cursor', offset: 'offset', pageNumber: 'page number' };

/**
 * Checks each object's operations against its incremental and deletion settings, and
 * that no GET request needs a body (undici, like fetch, rejects a GET with a body).
 */
export function checkObjects(manifest: JsonRecord): ManifestIssue[] {
  const issues: ManifestIssue[] = [];

  for (const [objectKey, objectValue] of recordEntries(manifest.objects)) {
    const object = asRecord(objectValue);
    const operations = asRecord(object?.operations) ?? {};
    const base = pointerOf('objects', objectKey);

    const incrementalOperation = asString(asRecord(object?.incremental)?.operation);
    if (incrementalOperation !== undefined && operations[incrementalOperation] === undefined) {
      const alternative = ['list', 'search'].find((name) => name !== incrementalOperation && operations[name] !== undefined);
      issues.push({
        pointer: `${base}/incremental/operation`,
        keyword: 'semantic:missingIncrementalOperation',
        message: `Incremental sync reads changes with the '${incrementalOperation}' operation, which object '${objectKey}' does not define.`,
        ...(alternative === undefined ? { expected: `an operation under ${base}/operations` } : { suggestion: alternative }),
      });
    }

    const strategy = asString(asRecord(object?.deletions)?.strategy);
    if (strategy === 'listDeleted' && operations.listDeleted === undefined) {
      issues.push({
        pointer: `${base}/deletions/strategy`,
        keyword: 'semantic:missingListDeletedOperation',
        message: `Deletion strategy 'listDeleted' needs a listDeleted operation, which object '${objectKey}' does not define.`,
        expected: 'a listDeleted operation, or another strategy',
      });
    }

    if (object?.cacheFromRecordStore === true) issues.push(...checkRecordStoreCache(object, operations, base, objectKey));

    for (const [operationName, operationValue] of recordEntries(operations)) {
      issues.push(...checkGetRequest(operationValue, pointerOf('objects', objectKey, 'operations', operationName)));
    }
  }
  return issues;
}

/** Checks that an object served from the record store has a cache lifetime and a get operation. */
function checkRecordStoreCache(object: JsonRecord, operations: JsonRecord, base: string, objectKey: string): ManifestIssue[] {
  const issues: ManifestIssue[] = [];

  const ttl = object.cacheTtlSeconds;
  if (typeof ttl !== 'number' || ttl <= 0) {
    issues.push({
      pointer: `${base}/cacheFromRecordStore`,
      keyword: 'semantic:recordStoreCacheWithoutTtl',
      message: `Object '${objectKey}' sets cacheFromRecordStore but no cacheTtlSeconds, so no stored record would ever be recent enough to serve a get read.`,
      expected: 'cacheTtlSeconds of 1 or more',
    });
  }
  if (operations.get === undefined) {
    issues.push({
      pointer: `${base}/cacheFromRecordStore`,
      keyword: 'semantic:recordStoreCacheWithoutGet',
      message: `Object '${objectKey}' sets cacheFromRecordStore but defines no get operation, so there is no read to serve from the record store.`,
      expected: `a get operation under ${base}/operations`,
    });
  }
  return issues;
}

/** Checks that a GET request sends neither a body nor pagination parameters in the body. */
export function checkGetRequest(request: unknown, pointer: string): ManifestIssue[] {
  const record = asRecord(request);
  if (record?.method !== 'GET') return [];
  const issues: ManifestIssue[] = [];

  if (record.body !== undefined) {
    issues.push({
      pointer: `${pointer}/body`,
      keyword: 'semantic:bodyOnGet',
      message: 'This request has a body, but its method is GET, which cannot carry one.',
      expected: 'no body, or a method such as POST',
    });
  }

  const pagination = asRecord(record.pagination);
  const position = POSITION_NAMES[String(pagination?.type)];
  if (pagination?.in === 'body' && position !== undefined) {
    issues.push({
      pointer: `${pointer}/pagination/in`,
      keyword: 'semantic:bodyPaginationOnGet',
      message: `Pagination sends the ${position} in the request body, but this operation is a GET request, which has no body.`,
      expected: quote('query'),
      suggestion: 'query',
    });
  }
  return issues;
}
