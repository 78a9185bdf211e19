import { LumioError } from '../errors/index.js';
import type { Logger } from '../observability/index.js';
import { createTimeOrderedId } from '../store/index.js';
import { NonRetryableJobError } from './job-errors.js';
import type { BackoffOptions, EnqueueOptions, JobQueueSettings, ProcessOptions } from './job-types.js';

// Checks and defaults shared by both backends, so a value one backend accepts the other
// accepts too.

/** Highest priority number, as in BullMQ (2^21). */
export const MAX_PRIORITY = 2_097_152;
export const MAX_ATTEMPTS = 100;
export const MAX_CONCURRENCY = 1_000;
/** Largest payload, as JSON, in bytes (1 MiB). */
export const MAX_PAYLOAD_BYTES = 1_048_576;
export const MAX_CONCURRENCY_KEY_LENGTH = 255;
const MAX_DELAY_MS = 365 * 86_400_000;
const MAX_BACKOFF_DELAY_MS = 86_400_000;

// Job names become BullMQ queue names and Redis key parts, which must not contain ':'.
const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
// BullMQ rejects custom ids that contain ':' or are integers, so both backends reject them.
const JOB_ID = /^[A-Za-z0-9._\-/=@+]{1,200}$/;
const DIGITS = /^\d+$/;

/** Settings with every default filled in. */
export interface ResolvedJobQueueSettings {
  logger: Logger;
  lockMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  defaultAttempts: number;
  defaultBackoff: BackoffOptions;
  completedRetentionMs: number;
}

/** A job checked and completed with defaults, ready for a backend to store. */
export interface PreparedJob {
  id: string;
  name: string;
  payload: unknown;
  delayMs: number;
  priority: number;
  attempts: number;
  backoff: BackoffOptions;
  concurrencyKey: string | null;
  /** Whether the caller chose the id, so an existing job with it may be returned. */
  idFromCaller: boolean;
}

function invalid(option: string, message: string): LumioError {
  return new LumioError('JOB_OPTIONS_INVALID', message, { status: 400, fault: 'caller', details: { option } });
}

function invalidSetting(option: string, message: string): LumioError {
  return new LumioError('JOB_QUEUE_SETTINGS_INVALID', message, { status: 500, fault: 'platform', details: { option } });
}

function checkInteger(option: string, value: unknown, minimum: number, maximum: number, makeError = invalid): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum || value > maximum) {
    throw makeError(option, `The job option ${option} is ${String(value)}; pass an integer from ${minimum} to ${maximum}.`);
  }
  return value;
}

function checkSetting(option: string, value: number | undefined, fallback: number, minimum: number, maximum: number): number {
  return value === undefined ? fallback : checkInteger(option, value, minimum, maximum, invalidSetting);
}

/** Raises JOB_OPTIONS_INVALID unless `name` is 1 to 100 letters, digits, `.`, `_` or `-`, starting with a letter or digit. */
export function checkJobName(name: unknown): string {
  if (typeof name !== 'string' || !JOB_NAME.test(name)) {
    throw invalid('name', `The job name "${String(name).slice(0, 120)}" is invalid; use 1 to 100 letters, digits, ".", "_" or "-", starting with a letter or digit.`);
  }
  return name;
}

/** Returns true when `id` has the form of a job id, generated or chosen by a caller. */
export function isValidJobId(id: unknown): id is string {
  return typeof id === 'string' && JOB_ID.test(id) && !DIGITS.test(id);
}

function checkJobId(id: unknown): string {
  if (!isValidJobId(id)) {
    throw invalid('jobId', `The job id "${String(id).slice(0, 220)}" is invalid; use 1 to 200 letters, digits or ". _ - / = @ +", not only digits.`);
  }
  return id;
}

function checkBackoff(backoff: unknown, option: string, makeError = invalid): BackoffOptions {
  const candidate = backoff as Partial<BackoffOptions> | null;
  if (typeof candidate !== 'object' || candidate === null || (candidate.type !== 'exponential' && candidate.type !== 'fixed')) {
    throw makeError(option, `The job option ${option} must be { type: "exponential" | "fixed", delayMs }; pass one of those types.`);
  }
  return { type: candidate.type, delayMs: checkInteger(`${option}.delayMs`, candidate.delayMs, 0, MAX_BACKOFF_DELAY_MS, makeError) };
}

function checkConcurrencyKey(key: unknown): string | null {
  if (key === undefined || key === null) return null;

  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_CONCURRENCY_KEY_LENGTH || key.includes('\u0000')) {
    throw invalid('concurrencyKey', `The job concurrencyKey must be a string of 1 to ${MAX_CONCURRENCY_KEY_LENGTH} characters without U+0000; pass a key such as "sync:<connection id>:contacts".`);
  }
  return key;
}

/**
 * Returns `payload` as it will reach the handler: the value after a JSON round trip, as
 * both backends store JSON. Raises JOB_OPTIONS_INVALID for a value JSON cannot represent
 * and JOB_PAYLOAD_TOO_LARGE above MAX_PAYLOAD_BYTES.
 */
function checkPayload(payload: unknown): unknown {
  let text: string | undefined;
  try {
    text = JSON.stringify(payload);
  } catch (error) {
    throw new LumioError('JOB_OPTIONS_INVALID', 'The job payload cannot be serialised as JSON (a cycle or a BigInt); pass plain JSON data.', { status: 400, fault: 'caller', details: { option: 'payload' }, cause: error });
  }
  if (text === undefined) {
    throw invalid('payload', 'The job payload is undefined or a function; pass JSON data, or null for none.');
  }

  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_PAYLOAD_BYTES) {
    throw new LumioError('JOB_PAYLOAD_TOO_LARGE', `The job payload has ${bytes} bytes of JSON, more than the ${MAX_PAYLOAD_BYTES} allowed; store large data elsewhere and pass its id.`, {
      status: 413,
      fault: 'caller',
      details: { bytes, maximum: MAX_PAYLOAD_BYTES },
    });
  }
  return JSON.parse(text) as unknown;
}

/** Checks an enqueue request and fills in the queue's defaults. */
export function prepareJob(name: string, payload: unknown, options: EnqueueOptions | undefined, settings: ResolvedJobQueueSettings): PreparedJob {
  const given = options ?? {};

  return {
    name: checkJobName(name),
    payload: checkPayload(payload),
    id: given.jobId === undefined ? createTimeOrderedId('job') : checkJobId(given.jobId),
    idFromCaller: given.jobId !== undefined,
    delayMs: given.delayMs === undefined ? 0 : checkInteger('delayMs', given.delayMs, 0, MAX_DELAY_MS),
    priority: given.priority === undefined ? 0 : checkInteger('priority', given.priority, 0, MAX_PRIORITY),
    attempts: given.attempts === undefined ? settings.defaultAttempts : checkInteger('attempts', given.attempts, 1, MAX_ATTEMPTS),
    backoff: given.backoff === undefined ? settings.defaultBackoff : checkBackoff(given.backoff, 'backoff'),
    concurrencyKey: checkConcurrencyKey(given.concurrencyKey),
  };
}

/** Returns the worker concurrency, 1 by default. */
export function resolveConcurrency(options: ProcessOptions | undefined): number {
  return options?.concurrency === undefined ? 1 : checkInteger('concurrency', options.concurrency, 1, MAX_CONCURRENCY);
}

/** Returns the dead-job list limit, 100 by default. */
export function resolveListLimit(limit: number | undefined): number {
  return limit === undefined ? 100 : checkInteger('limit', limit, 1, 1_000);
}

/** Checks queue settings and fills in their defaults. Raises JOB_QUEUE_SETTINGS_INVALID for a bad value. */
export function resolveSettings(settings: JobQueueSettings): ResolvedJobQueueSettings {
  return {
    logger: settings.logger,
    lockMs: checkSetting('lockMs', settings.lockMs, 30_000, 100, 3_600_000),
    stalledIntervalMs: checkSetting('stalledIntervalMs', settings.stalledIntervalMs, 30_000, 10, 3_600_000),
    maxStalledCount: checkSetting('maxStalledCount', settings.maxStalledCount, 1, 0, 1_000),
    defaultAttempts: checkSetting('defaultAttempts', settings.defaultAttempts, 3, 1, MAX_ATTEMPTS),
    defaultBackoff: settings.defaultBackoff === undefined ? { type: 'exponential', delayMs: 1_000 } : checkBackoff(settings.defaultBackoff, 'defaultBackoff', invalidSetting),
    completedRetentionMs: checkSetting('completedRetentionMs', settings.completedRetentionMs, 86_400_000, 1_000, 365 * 86_400_000),
  };
}

/**
 * Returns a handler's return value as it is stored: after a JSON round trip, with
 * undefined as null. Raises JOB_RESULT_INVALID, which fails the job without retries,
 * for a value JSON cannot represent or one above MAX_PAYLOAD_BYTES.
 */
export function prepareResult(result: unknown): unknown {
  let text: string | undefined;
  try {
    text = JSON.stringify(result ?? null);
  } catch (error) {
    throw new NonRetryableJobError('JOB_RESULT_INVALID', 'The job handler returned a value that cannot be serialised as JSON (a cycle or a BigInt); return plain JSON data.', { cause: error });
  }
  if (text === undefined) {
    return null;
  }

  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_PAYLOAD_BYTES) {
    throw new NonRetryableJobError('JOB_RESULT_INVALID', `The job handler returned ${bytes} bytes of JSON, more than the ${MAX_PAYLOAD_BYTES} allowed; store large results elsewhere and return their id.`, {
      details: { bytes, maximum: MAX_PAYLOAD_BYTES },
    });
  }
  return JSON.parse(text) as unknown;
}
