import { randomBytes } from 'node:crypto';

import { expect } from 'vitest';

import { startTestPlatform, type TestPlatform } from '../../e2e/platform-harness.js';
import type { TestDatabase } from '../../store/databases.js';

export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

export interface SendOptions {
  /** An API key for `Authorization: Bearer`. */
  key?: string;
  /** A session whose cookie to send; its CSRF token goes along unless `csrf` sets another. */
  session?: Session;
  /** A CSRF token to send instead of the session's, or false to send none. */
  csrf?: string | false;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A logged-in studio session as a browser would hold it. */
export interface Session {
  /** The `lumio_session` token from Set-Cookie. */
  token: string;
  csrfToken: string;
  setCookie: string;
  body: any;
}

/** Starts the platform on the suite's database, with a cheap scrypt cost so logins stay fast. */
export function startAccessPlatform(database: TestDatabase, env: Record<string, string> = {}): Promise<TestPlatform> {
  return startTestPlatform({ store: database.storeOptions(), env: { LUMIO_PASSWORD_SCRYPT_COST: '14', ...env } });
}

/** Sends one request with a key, a session cookie, or neither, and parses the JSON response. */
export async function send(test: TestPlatform, method: string, path: string, options: SendOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.session) {
    headers.cookie = `lumio_session=${options.session.token}`;
    const csrf = options.csrf === undefined ? options.session.csrfToken : options.csrf;
    if (csrf !== false) headers['x-csrf-token'] = csrf;
  }
  if (options.body !== undefined) headers['content-type'] = 'application/json';

  const response = await fetch(`${test.url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

/** Logs in and returns the session; fails the test unless the login succeeds. */
export async function login(test: TestPlatform, email: string, password: string): Promise<Session> {
  const reply = await send(test, 'POST', '/v1/session', { body: { email, password } });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);

  const setCookie = reply.headers.get('set-cookie') ?? '';
  const token = /lumio_session=([^;]+)/.exec(setCookie)?.[1];
  expect(token).toBeDefined();
  return { token: token ?? '', csrfToken: reply.body.csrfToken, setCookie, body: reply.body };
}

export interface CreatedUser {
  id: string;
  email: string;
  password: string;
}

/** Creates a user with the admin key and a random email and password. */
export async function createUser(test: TestPlatform, role: string): Promise<CreatedUser> {
  const email = `${role}-${randomBytes(4).toString('hex')}@example.com`;
  const password = `pw-${randomBytes(12).toString('base64url')}`;
  const reply = await send(test, 'POST', '/v1/users', { key: test.apiKey, body: { email, name: `Test ${role}`, role, password } });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return { id: reply.body.user.id, email, password };
}

/** Creates an API key with the admin key and returns its id and plaintext. */
export async function createKey(test: TestPlatform, scopes: string[], key = test.apiKey): Promise<{ id: string; key: string }> {
  const reply = await send(test, 'POST', '/v1/api-keys', { key, body: { name: `test ${scopes.join(' ')}`, scopes } });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return { id: reply.body.apiKey.id, key: reply.body.key };
}
