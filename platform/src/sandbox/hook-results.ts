import type { PluginHttpRequest, ReadStreamPage, WebhookEvent } from '@lumio/plugin-sdk';

import { resultInvalidError, type CallFacts } from './plugin-errors.js';
import { readPluginRequest } from './plugin-request.js';
import type { WorkerCallName } from './worker-protocol.js';

/** The hooks and actions a plugin defines, as its `describe` call reports them. */
export interface PluginDescription {
  hooks: string[];
  actions: string[];
}

/** The checked result type of each call. */
export interface HookOutputs {
  transformPage: unknown[];
  buildRequest: PluginHttpRequest;
  paginate: PluginHttpRequest | null;
  parseWebhook: WebhookEvent[];
  verifyWebhook: boolean;
  readStream: ReadStreamPage;
  action: unknown;
  describe: PluginDescription;
}

type Checker<T> = (value: unknown, facts: CallFacts) => T;

const CHECKERS: { [H in WorkerCallName]: Checker<HookOutputs[H]> } = {
  transformPage(value, facts) {
    if (!Array.isArray(value)) throw resultInvalidError(facts, `it must be an array of records, but it is ${describeValue(value)}`);
    return value;
  },
  buildRequest(value, facts) {
    return checkRequest(value, facts);
  },
  paginate(value, facts) {
    return value === null ? null : checkRequest(value, facts);
  },
  parseWebhook(value, facts) {
    if (!Array.isArray(value)) throw resultInvalidError(facts, `it must be an array of events, but it is ${describeValue(value)}`);
    return value.map((event, index) => checkEvent(event, index, facts));
  },
  verifyWebhook(value, facts) {
    if (typeof value !== 'boolean') throw resultInvalidError(facts, `it must be true or false, but it is ${describeValue(value)}`);
    return value;
  },
  readStream(value, facts) {
    if (!isObject(value)) throw resultInvalidError(facts, `it must be an object with records and nextState, but it is ${describeValue(value)}`);
    if (!Array.isArray(value.records)) throw resultInvalidError(facts, `records must be an array, but it is ${describeValue(value.records)}`, '$.records');
    if (!('nextState' in value)) throw resultInvalidError(facts, 'nextState is missing; return null after the last page', '$.nextState');
    const page: ReadStreamPage = { records: value.records, nextState: value.nextState as ReadStreamPage['nextState'] };
    if (value.cursor !== undefined) page.cursor = value.cursor as ReadStreamPage['cursor'];
    return page;
  },
  action(value) {
    return value === undefined ? null : value;
  },
  describe(value, facts) {
    if (!isObject(value) || !isStringArray(value.hooks) || !isStringArray(value.actions)) {
      throw resultInvalidError(facts, 'the plugin description must list hooks and actions');
    }
    return { hooks: value.hooks, actions: value.actions };
  },
};

/** Checks a call's result against what its hook must return; raises PLUGIN_RESULT_INVALID otherwise. */
export function checkHookResult<H extends WorkerCallName>(hook: H, value: unknown, facts: CallFacts): HookOutputs[H] {
  if (value === undefined && hook !== 'action') {
    throw resultInvalidError(facts, 'the hook returned undefined; return a value (null where the hook allows it)');
  }
  return CHECKERS[hook](value, facts);
}

function checkRequest(value: unknown, facts: CallFacts): PluginHttpRequest {
  const read = readPluginRequest(value);
  if ('problem' in read) throw resultInvalidError(facts, `the request is not valid: ${read.problem}`);
  return read.request;
}

function checkEvent(value: unknown, index: number, facts: CallFacts): WebhookEvent {
  const path = `$[${index}]`;
  if (!isObject(value)) throw resultInvalidError(facts, `event ${index} must be an object, but it is ${describeValue(value)}`, path);
  if (typeof value.type !== 'string' || value.type === '') throw resultInvalidError(facts, `event ${index} needs a non-empty string type`, `${path}.type`);
  if (value.id !== undefined && typeof value.id !== 'string' && typeof value.id !== 'number') {
    throw resultInvalidError(facts, `the id of event ${index} must be a string or a number`, `${path}.id`);
  }

  const event: WebhookEvent = { type: value.type, payload: (value.payload ?? null) as WebhookEvent['payload'] };
  if (value.id !== undefined) event.id = value.id as string | number;
  return event;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
