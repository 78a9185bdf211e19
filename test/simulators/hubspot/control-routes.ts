import type { IncomingMessage, ServerResponse } from 'node:http';

import { isLumioError, LumioError } from '../../../platform/src/errors/index.js';
import { sendJson } from '../shared/index.js';
import type { RequestLog } from '../shared/index.js';
import type { RateLimitPolicy } from './errors.js';
import type { FaultQueue } from './faults.js';
import { isObjectTypeName, OBJECT_TYPE_NAMES } from './object-types.js';
import type { HubSpotRecord, HubSpotStore } from './public-store.js';
import type { HubSpotSeedOptions, SeedSummary } from './seed-data.js';

/** Path prefix of the control API. */
export const CONTROL_PREFIX = '/__simulator/';

/** Operations the control API calls. The simulator object provides them. */
export interface ControlTarget {
  store: HubSpotStore;
  requests: RequestLog;
  faults: FaultQueue;
  /** Reseeds with `seed`, or with the last seed options when omitted, and clears the log, faults and rate counters. */
  reset(seed?: HubSpotSeedOptions): SeedSummary;
  setClock(now: number | string | null): void;
  setTokens(valid: readonly string[], expired?: readonly string[]): void;
  resetRateLimits(): void;
  now(): number;
  seedSummary(): SeedSummary | undefined;
}

/**
 * One change made through `POST /__simulator/mutate`. `add` takes `properties` and may
 * take `id`, `archived`, `createdAt` and `updatedAt`. `update` takes `id` and
 * `properties`. `archive`, `unarchive` and `delete` take `id`.
 */
export type MutationOperation =
  | {
      action: 'add';
      objectType: string;
      properties: Record<string, string | number | boolean | null>;
      id?: string;
      archived?: boolean;
      createdAt?: string | number;
      updatedAt?: string | number;
    }
  | { action: 'update'; objectType: string; id: string; properties: Record<string, string | number | boolean | null> }
  | { action: 'archive' | 'unarchive' | 'delete'; objectType: string; id: string };

function invalidControl(message: string): LumioError {
  return new LumioError('SIMULATOR_INVALID_CONTROL_REQUEST', message, { status: 400, fault: 'caller' });
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidControl(`The ${what} must be a JSON object.`);
  }
  return value as Record<string, unknown>;
}

function requireString(source: Record<string, unknown>, field: string): string {
  const value = source[field];
  if (typeof value !== 'string' || value === '') {
    throw invalidControl(`The field "${field}" is required and must be a non-empty string.`);
  }
  return value;
}

function applyMutation(store: HubSpotStore, raw: unknown): HubSpotRecord | { deleted: boolean } {
  const operation = asObject(raw, 'mutation');
  const objectType = operation.objectType;
  if (!isObjectTypeName(objectType)) {
    throw invalidControl(`The objectType ${JSON.stringify(objectType)} is not simulated; use ${OBJECT_TYPE_NAMES.join(', ')}.`);
  }

  switch (operation.action) {
    case 'add': {
      const properties = asObject(operation.properties, 'properties') as Record<string, string | number | boolean | null>;
      return store.add(objectType, properties, {
        id: typeof operation.id === 'string' ? operation.id : undefined,
        archived: operation.archived === true,
        createdAt: operation.createdAt as string | number | undefined,
        updatedAt: operation.updatedAt as string | number | undefined,
      });
    }
    case 'update':
      return store.update(objectType, requireString(operation, 'id'), asObject(operation.properties, 'properties') as Record<string, string | null>);
    case 'archive':
      return store.archive(objectType, requireString(operation, 'id'));
    case 'unarchive':
      return store.unarchive(objectType, requireString(operation, 'id'));
    case 'delete':
      return { deleted: store.delete(objectType, requireString(operation, 'id')) };
    default:
      throw invalidControl(`The action ${JSON.stringify(operation.action)} is not supported; use add, update, archive, unarchive or delete.`);
  }
}

function countsOf(store: HubSpotStore): Record<string, { active: number; archived: number }> {
  const counts: Record<string, { active: number; archived: number }> = {};
  for (const type of OBJECT_TYPE_NAMES) {
    counts[type] = { active: store.count(type), archived: store.count(type, { archived: true }) };
  }
  return counts;
}

function applyFaults(faults: FaultQueue, body: Record<string, unknown>): void {
  if (body.clear === true) {
    faults.clear();
  }
  if (body.failNext !== undefined) {
    const failNext = asObject(body.failNext, 'failNext');
    faults.failNext(Number(failNext.count ?? 1), Number(failNext.status), failNext.body);
  }
  if (body.rateLimitNext !== undefined) {
    const rateLimitNext = asObject(body.rateLimitNext, 'rateLimitNext');
    faults.rateLimitNext(Number(rateLimitNext.count ?? 1), (rateLimitNext.policy as RateLimitPolicy | undefined) ?? 'TEN_SECONDLY_ROLLING');
  }
  if (body.delayMs !== undefined) {
    faults.setDelay(Number(body.delayMs), body.delayCount === undefined ? undefined : Number(body.delayCount));
  }
}

function route(target: ControlTarget, method: string, name: string, body: unknown): { status: number; body: unknown } {
  const key = `${method} ${name}`;
  switch (key) {
    case 'GET state':
      return { status: 200, body: { now: new Date(target.now()).toISOString(), counts: countsOf(target.store), seed: target.seedSummary() ?? null, requests: target.requests.count() } };
    case 'POST reset':
      return { status: 200, body: target.reset(body === undefined ? undefined : (asObject(body, 'seed options') as HubSpotSeedOptions)) };
    case 'POST seed':
      return { status: 200, body: target.reset(asObject(body, 'seed options') as HubSpotSeedOptions) };
    case 'POST mutate': {
      const request = asObject(body, 'mutation request');
      const operations = Array.isArray(request.operations) ? request.operations : [request];
      return { status: 200, body: { results: operations.map((operation) => applyMutation(target.store, operation)) } };
    }
    case 'GET requests':
      return { status: 200, body: { requests: target.requests.entries } };
    case 'DELETE requests':
      target.requests.reset();
      return { status: 200, body: { requests: [] } };
    case 'POST faults':
      applyFaults(target.faults, asObject(body ?? {}, 'faults request'));
      return { status: 200, body: { ok: true } };
    case 'POST clock': {
      const request = asObject(body, 'clock request');
      const now = request.now;
      if (now !== null && typeof now !== 'string' && typeof now !== 'number') {
        throw invalidControl('The field "now" must be epoch milliseconds, ISO 8601, or null for the real clock.');
      }
      target.setClock(now);
      return { status: 200, body: { now: new Date(target.now()).toISOString() } };
    }
    case 'POST tokens': {
      const request = asObject(body, 'tokens request');
      if (!Array.isArray(request.valid) || request.valid.some((token) => typeof token !== 'string')) {
        throw invalidControl('The field "valid" must be an array of token strings.');
      }
      const expired = Array.isArray(request.expired) ? request.expired.filter((token): token is string => typeof token === 'string') : [];
      target.setTokens(request.valid as string[], expired);
      return { status: 200, body: { ok: true } };
    }
    case 'POST rate-limits/reset':
      target.resetRateLimits();
      return { status: 200, body: { ok: true } };
    default:
      return { status: 404, body: { error: { code: 'SIMULATOR_UNKNOWN_CONTROL_ROUTE', message: `No control route ${method} ${CONTROL_PREFIX}${name}.` } } };
  }
}

/**
 * Handles a request under `/__simulator/`: JSON in and out, without authentication, rate
 * limits or request logging. Errors are sent as `{"error": {"code", "message"}}`.
 */
export function handleControlRequest(target: ControlTarget, request: IncomingMessage, response: ServerResponse, url: URL, bodyText: string): void {
  const name = url.pathname.slice(CONTROL_PREFIX.length).replace(/\/+$/, '');
  try {
    let body: unknown;
    try {
      body = bodyText === '' ? undefined : (JSON.parse(bodyText) as unknown);
    } catch {
      throw invalidControl('The control request body is not valid JSON.');
    }
    const result = route(target, request.method ?? 'GET', name, body);
    sendJson(response, result.status, result.body);
  } catch (error) {
    const status = isLumioError(error) ? error.status : 500;
    const code = isLumioError(error) ? error.code : 'SIMULATOR_CONTROL_FAILED';
    const message = error instanceof Error ? error.message : String(error);
    if (!isLumioError(error)) {
      console.error('HubSpot simulator: control request failed', error);
    }
    sendJson(response, status, { error: { code, message } });
  }
}
