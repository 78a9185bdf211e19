import { describe, expect, it } from 'vitest';
import { slackUrlVerification } from './slack-url-verification.js';

describe('slackUrlVerification', () => {
  it('replies with the JSON challenge', () => {
    const body = { token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' };

    expect(slackUrlVerification.answerPost(body, 'json')).toEqual({
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
    });
  });

  it('ignores a form body', () => {
    expect(slackUrlVerification.answerPost({ type: 'url_verification', challenge: 'x' }, 'form')).toBeNull();
    expect(slackUrlVerification.answerPost({ type: 'url_verification', challenge: 'x' }, 'xml')).toBeNull();
  });

  it('ignores other events', () => {
    expect(slackUrlVerification.answerPost({ type: 'event_callback', challenge: 'x' }, 'json')).toBeNull();
    expect(slackUrlVerification.answerPost({ type: 'url_verification' }, 'json')).toBeNull();
    expect(slackUrlVerification.answerPost({ type: 'url_verification', challenge: 7 }, 'json')).toBeNull();
    expect(slackUrlVerification.answerPost([{ type: 'url_verification', challenge: 'x' }], 'json')).toBeNull();
    expect(slackUrlVerification.answerPost(null, 'json')).toBeNull();
    expect(slackUrlVerification.answerPost('url_verification', 'json')).toBeNull();
  });

  it('ignores an inherited challenge', () => {
    const body = Object.create({ challenge: 'inherited' }) as Record<string, unknown>;
    body.type = 'url_verification';

    expect(slackUrlVerification.answerPost(body, 'json')).toBeNull();
  });

  it('ignores every GET', () => {
    expect(slackUrlVerification.answerGet({ method: 'GET', url: 'https://hooks.lumio.test/s?challenge=x', headers: {}, body: Buffer.alloc(0) }, ['s'])).toBeNull();
  });
});
