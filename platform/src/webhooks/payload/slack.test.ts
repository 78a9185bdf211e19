import { describe, expect, it } from 'vitest';
import { LumioError } from '../../errors/index.js';
import { parsePayload } from './parse-payload.js';
import { normalizeSlackBody } from './slack.js';

function captureError(run: () => unknown): LumioError {
  try {
    run();
  } catch (error) {
    if (error instanceof LumioError) return error;
    throw error;
  }
  throw new Error('expected a LumioError');
}

const form = (text: string) => parsePayload('form', Buffer.from(text, 'utf8'));

describe('normalizeSlackBody', () => {
  it('unwraps an interactivity payload', () => {
    const event = { type: 'block_actions', user: { id: 'U1' }, actions: [{ value: 'ação 😀' }] };
    const body = form(`payload=${encodeURIComponent(JSON.stringify(event))}`);

    expect(normalizeSlackBody(body)).toEqual(event);
  });

  it('keeps a slash command flat', () => {
    const body = form('token=x&team_id=T1&command=%2Fdeploy&text=api+now&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1');

    expect(normalizeSlackBody(body)).toEqual({
      token: 'x',
      team_id: 'T1',
      command: '/deploy',
      text: 'api now',
      response_url: 'https://hooks.slack.com/commands/1',
    });
  });

  it('leaves non-objects unchanged', () => {
    expect(normalizeSlackBody('x')).toBe('x');
    expect(normalizeSlackBody([1])).toEqual([1]);
    expect(normalizeSlackBody({ payload: { nested: true } })).toEqual({ payload: { nested: true } });
  });

  it('rejects a payload that is not JSON', () => {
    const error = captureError(() => normalizeSlackBody(form('payload=%7Bbroken')));

    expect(error.code).toBe('WEBHOOK_BODY_INVALID');
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/Slack payload form field is not valid JSON/);
  });

  it('rejects a payload that is not an object', () => {
    expect(captureError(() => normalizeSlackBody({ payload: '[1,2]' })).message).toMatch(/not an object/);
    expect(captureError(() => normalizeSlackBody({ payload: 'null' })).message).toMatch(/not an object/);
  });

  it('rejects a deeply nested payload', () => {
    const deep = '['.repeat(100) + ']'.repeat(100);
    expect(captureError(() => normalizeSlackBody({ payload: deep })).message).toMatch(/deeper than 64 levels/);
  });
});
