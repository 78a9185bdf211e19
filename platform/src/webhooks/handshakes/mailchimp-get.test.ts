import { describe, expect, it } from 'vitest';
import { mailchimpGet } from './mailchimp-get.js';

const request = (method: string, url = 'https://hooks.lumio.test/webhooks/mailchimp/tok_5') => ({ method, url, headers: {}, body: Buffer.alloc(0) });

describe('mailchimpGet', () => {
  it('replies 200 to any GET', () => {
    const empty = { status: 200, contentType: 'text/plain; charset=utf-8', body: '' };

    expect(mailchimpGet.answerGet(request('GET'), [])).toEqual(empty);
    expect(mailchimpGet.answerGet(request('GET', 'https://hooks.lumio.test/x?secret=wrong'), ['right'])).toEqual(empty);
  });

  it('ignores other methods and posts', () => {
    expect(mailchimpGet.answerGet(request('POST'), [])).toBeNull();
    expect(mailchimpGet.answerPost({ type: 'subscribe' }, 'form')).toBeNull();
  });
});
