import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { RequestLog, queryToRecord, readRequestBody, sendJson } from '../shared/index.js';
import { formatTime, seedTasks, type Task, type TaskSeedOptions } from './tasks-data.js';

/** Page size of a list request that gives no `per_page`. */
export const DEFAULT_PER_PAGE = 20;
/** Largest `per_page` a list request may ask for. */
export const MAX_PER_PAGE = 100;
/** Longest comment text the API accepts, in characters. */
export const MAX_COMMENT_LENGTH = 2_000;

/** A comment on a task. */
export interface TaskComment {
  id: string;
  task_id: string;
  text: string;
  created_at: string;
}

export interface TasksSimulatorOptions {
  /** API keys the `X-Api-Key` header must carry. Default ["dev-key-0123456789"]. */
  apiKeys?: readonly string[];
  seed?: TaskSeedOptions;
  /** Every n-th API request gets 429 with `Retry-After: 1`; 0 turns this off. Default 0. */
  throttleEvery?: number;
  /** Source of the current time in epoch milliseconds, for `updated_at` of changed tasks. Default `Date.now`. */
  clock?: () => number;
}

export interface TasksSimulator {
  start(options?: { port?: number; host?: string }): Promise<{ url: string; port: number }>;
  /** Base URL while started, e.g. "http://127.0.0.1:40123". */
  readonly url: string | undefined;
  readonly requests: RequestLog;
  /** Every task, archived ones included, in id order. */
  list(): Task[];
  /** Comments added with `POST /v1/tasks/{id}/comments`, oldest first. */
  comments(): TaskComment[];
  /** Changes a task and sets its `updated_at` to the clock's time. */
  update(id: string, patch: Partial<Omit<Task, 'id' | 'created_at' | 'updated_at'>>): Task;
  /** The next `count` API requests get 429 with `Retry-After: <retryAfterSeconds>`. */
  throttleNext(count: number, retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

/**
 * Creates a simulator of a small sales task board API, served on loopback, for the example
 * connector and the authoring tests:
 *
 * - `GET /v1/me` describes the account; `GET /v1/tasks/{id}` returns `{data: task}` or 404.
 * - `GET /v1/tasks?page=N&per_page=M&updated_since=ISO` lists tasks, archived ones
 *   included, ordered by `updated_at` then `id`, as `{data, meta: {page, per_page, total}}`.
 *   `updated_since` keeps tasks changed at or after that time. A `Link` header with
 *   rel="next" names the next page while there is one.
 * - `POST /v1/tasks/{id}/comments` with `{text}` adds a comment and returns 201 with
 *   `{data: comment}`; an empty or too long text gets 422, an unknown task 404.
 * - Every request needs a known `X-Api-Key`; otherwise 401. Errors are
 *   `{error: {code, message}}`. Throttled requests get 429 with `Retry-After` in seconds.
 */
export function createTasksSimulator(options: TasksSimulatorOptions = {}): TasksSimulator {
  const apiKeys = new Set(options.apiKeys ?? ['dev-key-0123456789']);
  const clock = options.clock ?? Date.now;
  const tasks = new Map(seedTasks(options.seed).map((task) => [task.id, task]));
  const requests = new RequestLog();
  const comments: TaskComment[] = [];
  const throttle = { remaining: 0, retryAfterSeconds: 1, apiRequests: 0 };
  let server: Server | undefined;
  let url: string | undefined;

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const started = performance.now();
    const target = new URL(request.url ?? '/', url ?? 'http://127.0.0.1');
    response.on('finish', () => {
      requests.record({ method: request.method ?? 'GET', path: target.pathname, query: queryToRecord(target.searchParams), body: undefined, status: response.statusCode, time: clock(), durationMs: performance.now() - started });
    });

    const commentMatch = /^\/v1\/tasks\/([^/]+)\/comments$/.exec(target.pathname);
    const isCommentPost = request.method === 'POST' && commentMatch !== null;
    if (request.method !== 'GET' && !isCommentPost) return sendError(response, 405, 'method_not_allowed', `${request.method} is not supported here; only GET requests and POST /v1/tasks/{id}/comments are.`);
    if (!apiKeys.has(String(request.headers['x-api-key'] ?? ''))) return sendError(response, 401, 'invalid_api_key', 'The X-Api-Key header is missing or not a valid key.');

    throttle.apiRequests += 1;
    const every = options.throttleEvery ?? 0;
    if (throttle.remaining > 0 || (every > 0 && throttle.apiRequests % every === 0)) {
      throttle.remaining = Math.max(0, throttle.remaining - 1);
      return sendError(response, 429, 'rate_limited', 'Too many requests; wait for Retry-After seconds.', { 'Retry-After': String(throttle.retryAfterSeconds) });
    }

    if (isCommentPost) return void addComment(decodeURIComponent(commentMatch[1] as string), request, response);
    if (target.pathname === '/v1/me') return sendJson(response, 200, { data: { account: 'Vendas Exemplo', plan: 'starter', tasks: tasks.size } });
    if (target.pathname === '/v1/tasks') return listTasks(target, response);
    const match = /^\/v1\/tasks\/([^/]+)$/.exec(target.pathname);
    if (match) {
      const task = tasks.get(decodeURIComponent(match[1] as string));
      return task ? sendJson(response, 200, { data: task }) : sendError(response, 404, 'not_found', `No task has the id ${match[1]}.`);
    }
    sendError(response, 404, 'not_found', `No route matches ${target.pathname}.`);
  };

  const addComment = async (taskId: string, request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const raw = await readRequestBody(request);
    if (!tasks.has(taskId)) return sendError(response, 404, 'not_found', `No task has the id ${taskId}.`);

    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return sendError(response, 400, 'invalid_json', 'The request body is not valid JSON.');
    }
    const text = (body as { text?: unknown } | null)?.text;
    if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_COMMENT_LENGTH) {
      return sendError(response, 422, 'invalid_comment', `text must be a non-empty string of at most ${MAX_COMMENT_LENGTH} characters.`);
    }

    const comment: TaskComment = { id: `comment_${String(comments.length + 1).padStart(4, '0')}`, task_id: taskId, text, created_at: formatTime(clock()) };
    comments.push(comment);
    sendJson(response, 201, { data: comment });
  };

  const listTasks = (target: URL, response: ServerResponse): void => {
    const page = readInteger(target, 'page', 1);
    const perPage = readInteger(target, 'per_page', DEFAULT_PER_PAGE);
    if (page === undefined || page < 1) return sendError(response, 400, 'invalid_page', 'page must be a whole number from 1.');
    if (perPage === undefined || perPage < 1 || perPage > MAX_PER_PAGE) return sendError(response, 400, 'invalid_per_page', `per_page must be a whole number from 1 to ${MAX_PER_PAGE}.`);

    const since = target.searchParams.get('updated_since');
    const sinceMs = since === null ? undefined : Date.parse(since);
    if (sinceMs !== undefined && Number.isNaN(sinceMs)) return sendError(response, 400, 'invalid_updated_since', 'updated_since must be an ISO 8601 date-time.');

    const matching = [...tasks.values()]
      .filter((task) => sinceMs === undefined || Date.parse(task.updated_at) >= sinceMs)
      .sort((a, b) => a.updated_at.localeCompare(b.updated_at) || a.id.localeCompare(b.id));
    const data = matching.slice((page - 1) * perPage, page * perPage);

    const headers: Record<string, string> = {};
    if (page * perPage < matching.length) {
      const next = new URL(target.pathname, url);
      next.search = target.search;
      next.searchParams.set('page', String(page + 1));
      next.searchParams.set('per_page', String(perPage));
      headers.Link = `<${next.href}>; rel="next"`;
    }
    sendJson(response, 200, { data, meta: { page, per_page: perPage, total: matching.length } }, headers);
  };

  return {
    get url() {
      return url;
    },
    requests,
    list: () => [...tasks.values()].sort((a, b) => a.id.localeCompare(b.id)),
    comments: () => [...comments],
    update(id, patch) {
      const task = tasks.get(id);
      if (!task) throw new Error(`The simulator has no task ${id}; use one of the ids list() returns.`);
      const updated: Task = { ...task, ...patch, updated_at: formatTime(clock()) };
      tasks.set(id, updated);
      return updated;
    },
    throttleNext(count, retryAfterSeconds = 1) {
      throttle.remaining = count;
      throttle.retryAfterSeconds = retryAfterSeconds;
    },
    async start(startOptions = {}) {
      if (server) throw new Error(`The tasks simulator already listens at ${url}; close it first.`);
      server = createServer(handle);
      const listening = server;
      await new Promise<void>((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(startOptions.port ?? 0, startOptions.host ?? '127.0.0.1', () => resolve());
      });
      const address = listening.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      url = `http://${host}:${address.port}`;
      return { url, port: address.port };
    },
    async close() {
      const running = server;
      server = undefined;
      url = undefined;
      if (!running) return;
      running.closeAllConnections();
      await new Promise<void>((resolve, reject) => running.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function sendError(response: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(response, status, { error: { code, message } }, headers);
}

function readInteger(target: URL, name: string, fallback: number): number | undefined {
  const raw = target.searchParams.get(name);
  if (raw === null) return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}
