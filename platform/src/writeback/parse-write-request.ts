import { suggestClosest } from '@lumio/plugin-sdk';

import { LumioError } from '../errors/index.js';
import { CANONICAL_OBJECT_NAMES, type FieldProblem } from './canonical-validator.js';

/** Records one `POST /v1/records/batch` request may carry. */
export const MAX_RECORDS_PER_REQUEST = 1_000;

/** How far in the future a `changedAt` may lie, to allow for clock differences between hosts. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const RECORD_ID = /^rec_[0-9a-z]{26}$/;
const SINGLE_FIELDS = ['integration', 'object', 'data', 'externalId', 'id', 'changedAt'];
const BATCH_FIELDS = ['integration', 'object', 'records'];
const RECORD_FIELDS = ['data', 'externalId', 'id', 'changedAt'];

/** One record of a write request. */
export interface RecordInput {
  /** Path of the record in the request body for messages: "" for a single write, "records[3]" in a batch. */
  path: string;
  data: Record<string, unknown>;
  /** The provider's id of the record to update. */
  externalId?: string;
  /** Lumio id (`rec_…`) of the record to update. */
  id?: string;
  /** When the change was made in Lumio, ISO 8601 UTC; the request time when absent. */
  changedAt: string;
}

export interface WriteRequest {
  /** Connector id (`hubspot`) or connection id (`conn_…`). */
  integration: string;
  /** Canonical object name, e.g. `contact`. */
  object: string;
  records: RecordInput[];
}

/** Reads the body of `POST /v1/records`. Raises WRITE_REQUEST_INVALID (400) listing every problem. */
export function parseSingleWrite(body: Record<string, unknown>, now = Date.now()): WriteRequest {
  const problems: FieldProblem[] = [];
  checkFields(body, SINGLE_FIELDS, '', problems);
  const integration = readIntegration(body, problems);
  const object = readObject(body, problems);
  const record = readRecord(body, '', now, problems);
  return finish({ integration, object, records: record ? [record] : [] }, problems);
}

/** Reads the body of `POST /v1/records/batch`. Raises WRITE_REQUEST_INVALID (400) listing every problem. */
export function parseBatchWrite(body: Record<string, unknown>, now = Date.now()): WriteRequest {
  const problems: FieldProblem[] = [];
  checkFields(body, BATCH_FIELDS, '', problems);
  const integration = readIntegration(body, problems);
  const object = readObject(body, problems);

  const records: RecordInput[] = [];
  if (!Array.isArray(body.records) || body.records.length === 0) {
    problems.push({ field: 'records', message: `records is required: a list of 1 to ${MAX_RECORDS_PER_REQUEST} objects with "data".` });
  } else if (body.records.length > MAX_RECORDS_PER_REQUEST) {
    problems.push({ field: 'records', message: `records has ${body.records.length} entries; send at most ${MAX_RECORDS_PER_REQUEST} per request.` });
  } else {
    body.records.forEach((entry: unknown, index) => {
      const path = `records[${index}]`;
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
        problems.push({ field: path, message: `${path} must be an object with "data".` });
        return;
      }
      checkFields(entry as Record<string, unknown>, RECORD_FIELDS, path, problems);
      const record = readRecord(entry as Record<string, unknown>, path, now, problems);
      if (record) records.push(record);
    });
  }
  return finish({ integration, object, records }, problems);
}

/** Raises WRITE_REQUEST_INVALID when there are problems; the first names the `field` of the problem body. */
export function throwProblems(problems: FieldProblem[]): void {
  if (problems.length === 0) return;
  const first = problems[0] as FieldProblem;
  const more = problems.length > 1 ? ` ${problems.length - 1} more problem${problems.length > 2 ? 's are' : ' is'} listed in "problems".` : '';
  throw new LumioError('WRITE_REQUEST_INVALID', `${first.message}${more} Nothing was written.`, {
    status: 400,
    fault: 'caller',
    details: { field: first.field, problems },
  });
}

function finish(request: WriteRequest, problems: FieldProblem[]): WriteRequest {
  throwProblems(problems);
  return request;
}

function checkFields(body: Record<string, unknown>, known: readonly string[], path: string, problems: FieldProblem[]): void {
  for (const name of Object.keys(body)) {
    if (known.includes(name)) continue;
    const field = join(path, name);
    const suggestion = suggestClosest(name, known);
    problems.push({ field, message: `${field} is not a field of this request${suggestion ? `; did you mean ${join(path, suggestion)}?` : `; it accepts ${known.join(', ')}.`}` });
  }
}

function readIntegration(body: Record<string, unknown>, problems: FieldProblem[]): string {
  const value = body.integration;
  if (typeof value === 'string' && value.trim() !== '') return value;
  problems.push({ field: 'integration', message: 'integration is required: a connector id such as "hubspot", or a connection id.' });
  return '';
}

function readObject(body: Record<string, unknown>, problems: FieldProblem[]): string {
  const value = body.object;
  if (typeof value === 'string' && CANONICAL_OBJECT_NAMES.includes(value)) return value;

  const suggestion = typeof value === 'string' ? suggestClosest(value, [...CANONICAL_OBJECT_NAMES]) : undefined;
  const hint = suggestion ? ` Did you mean ${suggestion}?` : '';
  const got = value === undefined ? 'nothing' : JSON.stringify(value);
  problems.push({ field: 'object', message: `object must name one of Lumio's canonical objects (${CANONICAL_OBJECT_NAMES.join(', ')}), got ${got}.${hint}` });
  return '';
}

function readRecord(body: Record<string, unknown>, path: string, now: number, problems: FieldProblem[]): RecordInput | undefined {
  const before = problems.length;
  const data = body.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    problems.push({ field: join(path, 'data'), message: `${join(path, 'data')} is required: an object with the canonical fields of the record.` });
  }

  const externalId = readOptionalText(body, 'externalId', path, problems);
  const id = readOptionalText(body, 'id', path, problems);
  if (id !== undefined && !RECORD_ID.test(id)) {
    problems.push({ field: join(path, 'id'), message: `${join(path, 'id')} must be a Lumio record id such as rec_01hx…, got "${id}".` });
  }

  let changedAt = new Date(now).toISOString();
  const rawChangedAt = readOptionalText(body, 'changedAt', path, problems);
  if (rawChangedAt !== undefined) {
    const time = Date.parse(rawChangedAt);
    if (Number.isNaN(time)) {
      problems.push({ field: join(path, 'changedAt'), message: `${join(path, 'changedAt')} must be an ISO 8601 date-time such as 2025-03-01T12:00:00Z, got "${rawChangedAt}".` });
    } else if (time > now + MAX_CLOCK_SKEW_MS) {
      problems.push({ field: join(path, 'changedAt'), message: `${join(path, 'changedAt')} lies in the future (${rawChangedAt}); send the time the change was made.` });
    } else {
      changedAt = new Date(time).toISOString();
    }
  }

  if (problems.length > before) return undefined;
  return { path, data: data as Record<string, unknown>, changedAt, ...(externalId === undefined ? {} : { externalId }), ...(id === undefined ? {} : { id }) };
}

function readOptionalText(body: Record<string, unknown>, name: string, path: string, problems: FieldProblem[]): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value.trim() !== '') return value;
  problems.push({ field: join(path, name), message: `${join(path, name)} must be a non-empty string.` });
  return undefined;
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}
