import { formatTimestamp } from './datetime.js';
import { missingObjectsError, validationError } from './errors.js';
import { findRecordForPath, parseArchived } from './read-routes.js';
import { ALL_PROPERTIES, buildProjection, recordJson, recordJsonWith } from './record-json.js';
import type { PropertyInputValue, StoredRecord } from './record-store.js';
import type { RouteContext, RouteResult } from './route-context.js';
import {
  batchInputs,
  inputId,
  isRecord,
  toHubSpotConflict,
  uniqueValueConflict,
  validatePropertyInput,
} from './write-validation.js';

function batchResponse(
  context: RouteContext,
  startedAt: number,
  results: string[],
  errors: Record<string, unknown>[],
  successStatus: number,
): RouteResult {
  const completedAt = formatTimestamp(context.now());
  let json = `{"status":"COMPLETE","results":[${results.join(',')}]`;
  if (errors.length > 0) {
    json += `,"numErrors":${errors.length},"errors":${JSON.stringify(errors)}`;
  }
  json += `,"startedAt":"${formatTimestamp(startedAt)}","completedAt":"${completedAt}"}`;
  return { status: errors.length > 0 ? 207 : successStatus, json };
}

function insertChecked(context: RouteContext, properties: Record<string, PropertyInputValue>): StoredRecord {
  try {
    return context.store.insert(context.type, { properties });
  } catch (error) {
    throw toHubSpotConflict(error);
  }
}

function updateChecked(context: RouteContext, id: string, properties: Record<string, PropertyInputValue>): StoredRecord {
  try {
    return context.store.update(context.type, id, properties);
  } catch (error) {
    throw toHubSpotConflict(error);
  }
}

/**
 * Rejects a batch before it writes anything when two inputs share a unique value, or
 * when an input's unique value belongs to a record other than `ownIds[position]`.
 */
function assertUniqueValues(context: RouteContext, inputs: Record<string, PropertyInputValue>[], ownIds: (string | undefined)[]): void {
  for (const property of context.store.uniquePropertyNames(context.type)) {
    const seen = new Set<string>();
    inputs.forEach((properties, position) => {
      const value = properties[property];
      if (value === null || value === undefined || value === '') {
        return;
      }
      const key = String(value).toLowerCase();
      if (seen.has(key)) {
        throw validationError(`Duplicate ${property} "${String(value)}" in the batch inputs.`, { context: { [property]: [String(value)] } });
      }
      seen.add(key);

      const holder = context.store.findByProperty(context.type, property, String(value));
      if (holder !== undefined && holder.id !== ownIds[position]) {
        throw uniqueValueConflict(context.store.schema(context.type), holder.id);
      }
    });
  }
}

/** `POST /crm/v3/objects/{objectType}`: 201 with the new record and a Location header. */
export function createObject(context: RouteContext): RouteResult {
  const properties = validatePropertyInput(context.store, context.type, context.body(), context.portalId);
  const record = insertChecked(context, properties);
  return {
    status: 201,
    json: recordJson(record, ALL_PROPERTIES),
    headers: { Location: `${context.baseUrl}/crm/v3/objects/${context.typeSegment}/${record.id}` },
  };
}

/** `PATCH /crm/v3/objects/{objectType}/{id}`: 200 with the updated record. */
export function updateObject(context: RouteContext, id: string): RouteResult {
  const properties = validatePropertyInput(context.store, context.type, context.body(), context.portalId);
  const record = findRecordForPath(context, id, false);
  return { status: 200, json: recordJson(updateChecked(context, record.id, properties), ALL_PROPERTIES) };
}

/** `DELETE /crm/v3/objects/{objectType}/{id}`: archives the record, with 204 also when the id does not exist. */
export function archiveObject(context: RouteContext, id: string): RouteResult {
  if (context.store.get(context.type, id) !== undefined) {
    context.store.archive(context.type, id);
  }
  return { status: 204 };
}

function readIdProperty(context: RouteContext, value: unknown): string {
  const idProperty = typeof value === 'string' && value !== '' ? value : 'hs_object_id';
  if (idProperty !== 'hs_object_id' && !context.store.isUniqueProperty(context.type, idProperty)) {
    throw validationError(`The idProperty "${idProperty}" is not a unique property of ${context.type}.`, {
      context: { idProperty: [idProperty] },
    });
  }
  return idProperty;
}

function findBy(context: RouteContext, idProperty: string, id: string): StoredRecord | undefined {
  return idProperty === 'hs_object_id' ? context.store.get(context.type, id) : context.store.findByProperty(context.type, idProperty, id);
}

/** `POST …/batch/read`: 200, or 207 with one OBJECT_NOT_FOUND error listing the missing ids. */
export function batchRead(context: RouteContext): RouteResult {
  const startedAt = context.now();
  const body = context.body();
  const inputs = batchInputs(body);
  const request = body as Record<string, unknown>;
  const requested = Array.isArray(request.properties) ? request.properties.filter((name): name is string => typeof name === 'string') : [];
  const projection = buildProjection(context.store, context.type, requested);
  const idProperty = readIdProperty(context, request.idProperty);
  const archived = parseArchived(context.query);

  const results: string[] = [];
  const missing: string[] = [];
  const returned = new Set<string>();
  inputs.forEach((input, position) => {
    const id = inputId(input, position);
    const record = findBy(context, idProperty, id);
    if (record === undefined || record.archived !== archived) {
      missing.push(id);
    } else if (!returned.has(record.id)) {
      returned.add(record.id);
      results.push(recordJson(record, projection));
    }
  });

  const errors = missing.length > 0 ? [missingObjectsError(context.store.schema(context.type).messageLabel, missing)] : [];
  return batchResponse(context, startedAt, results, errors, 200);
}

/** `POST …/batch/create`: creates all inputs or none, with 201 and the new records in input order. */
export function batchCreate(context: RouteContext): RouteResult {
  const startedAt = context.now();
  const inputs = batchInputs(context.body());
  const validated = inputs.map((input) => validatePropertyInput(context.store, context.type, input, context.portalId));
  assertUniqueValues(context, validated, []);

  const records = validated.map((properties) => insertChecked(context, properties));
  return batchResponse(context, startedAt, records.map((record) => recordJson(record, ALL_PROPERTIES)), [], 201);
}

/** `POST …/batch/update`: 200, or 207 with OBJECT_NOT_FOUND for ids that do not exist. */
export function batchUpdate(context: RouteContext): RouteResult {
  const startedAt = context.now();
  const inputs = batchInputs(context.body());

  const targets: (StoredRecord | undefined)[] = [];
  const validated: Record<string, PropertyInputValue>[] = [];
  const missing: string[] = [];
  inputs.forEach((input, position) => {
    const id = inputId(input, position);
    const idProperty = readIdProperty(context, isRecord(input) ? input.idProperty : undefined);
    const record = findBy(context, idProperty, id);
    validated.push(validatePropertyInput(context.store, context.type, input, context.portalId));
    if (record === undefined || record.archived) {
      missing.push(id);
      targets.push(undefined);
    } else {
      targets.push(record);
    }
  });

  const present = validated.filter((_, position) => targets[position] !== undefined);
  const presentTargets = targets.filter((record): record is StoredRecord => record !== undefined);
  assertUniqueValues(context, present, presentTargets.map((record) => record.id));

  const results = presentTargets.map((record, position) => recordJson(updateChecked(context, record.id, present[position] ?? {}), ALL_PROPERTIES));
  const errors = missing.length > 0 ? [missingObjectsError(context.store.schema(context.type).messageLabel, missing)] : [];
  return batchResponse(context, startedAt, results, errors, 200);
}

/**
 * `POST …/batch/upsert`: each input names a unique `idProperty` (such as a contact's
 * `email`) and its value as `id`. Existing records are updated and others created. Results
 * carry `"new": true` for created records.
 */
export function batchUpsert(context: RouteContext): RouteResult {
  const startedAt = context.now();
  const body = context.body();
  const inputs = batchInputs(body);
  const defaultIdProperty = isRecord(body) ? body.idProperty : undefined;

  const plans = inputs.map((input, position) => {
    const id = inputId(input, position);
    const idProperty = readIdProperty(context, isRecord(input) && input.idProperty !== undefined ? input.idProperty : defaultIdProperty);
    if (idProperty === 'hs_object_id') {
      throw validationError(`inputs[${position}].idProperty is required for upsert and must name a unique property such as email.`);
    }
    const properties = { ...validatePropertyInput(context.store, context.type, input, context.portalId), [idProperty]: id };
    return { existing: context.store.findByProperty(context.type, idProperty, id), properties };
  });
  assertUniqueValues(
    context,
    plans.map((plan) => plan.properties),
    plans.map((plan) => plan.existing?.id),
  );

  const results = plans.map((plan) => {
    const record = plan.existing === undefined ? insertChecked(context, plan.properties) : updateChecked(context, plan.existing.id, plan.properties);
    return recordJsonWith(record, ALL_PROPERTIES, { new: plan.existing === undefined });
  });
  return batchResponse(context, startedAt, results, [], 200);
}

/** `POST …/batch/archive`: archives the inputs with 204, ignoring ids that do not exist. */
export function batchArchive(context: RouteContext): RouteResult {
  const inputs = batchInputs(context.body());
  const ids = inputs.map((input, position) => inputId(input, position));
  for (const id of ids) {
    if (context.store.get(context.type, id) !== undefined) {
      context.store.archive(context.type, id);
    }
  }
  return { status: 204 };
}
