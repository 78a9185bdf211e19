import type { WebhookSignature } from '@lumio/plugin-sdk';
import { describe, expect, it } from 'vitest';
import type { VerificationResult, WebhookRequest, WebhookScheme } from './scheme-types.js';
import { DEFAULT_TOLERANCE_SECONDS } from './timestamp-window.js';

// Shared cases that every signing scheme's tests run. Each test file supplies `deliver`, which
// signs with node:crypto written in that test, so no case checks the scheme against itself.

/** Receive time of every contract case: 2025-05-20T12:00:00Z, a whole second. */
export const NOW = Date.UTC(2025, 4, 20, 12, 0, 0);

export const DELIVERY_URL = 'https://hooks.lumio.test/webhooks/acme/tok_3f9a?source=provider&region=sa';

/** JSON bodies whose bytes change when parsed and serialised again, so they must verify as received. */
export const RAW_BYTE_BODIES: ReadonlyArray<readonly [string, Buffer]> = [
  ['escaped slashes', Buffer.from('{ "url": "https:\\/\\/shop.example\\/a\\/b" }', 'utf8')],
  ['\\u00e9 escapes', Buffer.from('{ "name": "Jos\\u00e9", "city": "S\\u00e3o Paulo" }', 'utf8')],
  ['raw accents', Buffer.from('{ "name": "Conceição", "note": "ação" }', 'utf8')],
  ['emoji', Buffer.from('{ "note": "pago 🎉👍🏽" }', 'utf8')],
];

export interface DeliveryOptions {
  body: Buffer;
  secret: string;
  /** Signing time in epoch milliseconds. */
  signedAt: number;
  id: string;
}

export interface SchemeContract {
  scheme: WebhookScheme;
  /** The manifest's signature settings. Their `toleranceSeconds`, if any, sets the stale and future cases. */
  signature: WebhookSignature;
  /** Builds a request signed the way the provider documents, computed in the test file. */
  deliver(options: DeliveryOptions): WebhookRequest;
  /** Two working secrets, newest first, and one that must not verify. */
  secrets: readonly [string, string];
  wrongSecret: string;
  /** Lower-case name of the header that carries the signature. */
  signatureHeader: string;
  /** A well-formed value of that header whose signature has the wrong number of bytes. */
  wrongLengthValue: string;
  /** Values of that header that must be reported as malformed. */
  malformedValues: readonly string[];
  /** Whether the scheme signs a timestamp, which the window cases then check. */
  timed: boolean;
  /** Lower-case name of a separate timestamp header, when the scheme has one. */
  timestampHeader?: string;
  /** Lower-case name of the header whose value must come back as `deliveryId`. */
  deliveryIdHeader?: string;
}

export function request(fields: Partial<WebhookRequest> & { headers: Record<string, string> }): WebhookRequest {
  return { method: 'POST', url: DELIVERY_URL, body: Buffer.alloc(0), ...fields };
}

export function withoutHeader(delivery: WebhookRequest, name: string): WebhookRequest {
  const headers = { ...delivery.headers };
  delete headers[name];
  return { ...delivery, headers };
}

export function withHeader(delivery: WebhookRequest, name: string, value: string): WebhookRequest {
  return { ...delivery, headers: { ...delivery.headers, [name]: value } };
}

/** Returns a result's failure reason, or 'ok'. */
export function reasonOf(result: VerificationResult): string {
  return result.ok ? 'ok' : result.reason;
}

/** Yields `count` header-like strings from a fixed seed, mixing separators, digits, base64 and non-ASCII. */
export function* hostileValues(count: number): Generator<string> {
  const alphabet = 'abcdefABCDEF0123456789+/=_-,.: ;tv0v1sha256=whsec_é🎉\u0000\t';
  const symbols = Array.from(alphabet);
  let state = 0x2545f491;
  for (let index = 0; index < count; index += 1) {
    const length = index % 97;
    let value = '';
    for (let position = 0; position < length; position += 1) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      value += symbols[state % symbols.length];
    }
    yield value;
  }
}

/** Registers the cases every signing scheme must pass. */
export function runSchemeContract(contract: SchemeContract): void {
  const { scheme, signature, secrets } = contract;
  const tolerance = signature.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const body = Buffer.from('{ "id": 7, "status": "paid" }', 'utf8');
  const signedAt = NOW - 42_000;
  const id = 'dlv_01HZX5Q7';
  const verify = (delivery: WebhookRequest, useSecrets: readonly string[] = [secrets[0]]): VerificationResult =>
    scheme.verify({ request: delivery, secrets: useSecrets, signature, now: NOW });
  const deliver = (overrides: Partial<DeliveryOptions> = {}): WebhookRequest =>
    contract.deliver({ body, secret: secrets[0], signedAt, id, ...overrides });

  describe(`${scheme.name} scheme contract`, () => {
    it('accepts a valid delivery', () => {
      const result = verify(deliver());

      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.signedAt).toBe(contract.timed ? signedAt : undefined);
      expect(result.deliveryId).toBe(contract.deliveryIdHeader === undefined ? undefined : id);
    });

    it('rejects one changed body byte', () => {
      const delivery = deliver();
      const changed = Buffer.from(delivery.body);
      changed[5] = (changed[5] ?? 0) ^ 0x01;

      expect(reasonOf(verify({ ...delivery, body: changed }))).toBe('signature_mismatch');
    });

    it('rejects a wrong secret', () => {
      expect(reasonOf(verify(deliver({ secret: contract.wrongSecret })))).toBe('signature_mismatch');
    });

    it('accepts the second of two secrets', () => {
      const delivery = deliver({ secret: secrets[1] });

      expect(reasonOf(verify(delivery, [secrets[0]]))).toBe('signature_mismatch');
      expect(reasonOf(verify(delivery, secrets))).toBe('ok');
    });

    it('reports an empty secret list as missing', () => {
      expect(reasonOf(verify(deliver(), []))).toBe('secret_missing');
      expect(reasonOf(verify(deliver(), ['']))).toBe('secret_missing');
      expect(reasonOf(verify(deliver(), ['', secrets[0]]))).toBe('ok');
    });

    it('reports a missing signature header', () => {
      const result = verify(withoutHeader(deliver(), contract.signatureHeader));

      expect(reasonOf(result)).toBe('header_missing');
      expect(result.ok ? '' : result.message).toContain('missing');
    });

    it('reports a wrong-length signature as malformed', () => {
      expect(reasonOf(verify(withHeader(deliver(), contract.signatureHeader, contract.wrongLengthValue)))).toBe('header_malformed');
    });

    it('reports malformed signature headers', () => {
      for (const value of contract.malformedValues) {
        expect(reasonOf(verify(withHeader(deliver(), contract.signatureHeader, value))), value).toBe('header_malformed');
      }
    });

    it('never throws on hostile header values', () => {
      const headers = [contract.signatureHeader, contract.timestampHeader].filter((name) => name !== undefined);
      for (const value of hostileValues(400)) {
        for (const name of headers) {
          expect(() => verify(withHeader(deliver(), name, value))).not.toThrow();
          expect(verify(withHeader(deliver(), name, value)).ok).toBe(false);
        }
      }
    });

    it.each(RAW_BYTE_BODIES)('verifies the raw bytes of a body with %s', (_name, rawBody) => {
      const delivery = deliver({ body: rawBody });
      const reserialised = Buffer.from(JSON.stringify(JSON.parse(rawBody.toString('utf8'))), 'utf8');

      expect(reasonOf(verify(delivery))).toBe('ok');
      expect(reserialised.equals(rawBody)).toBe(false);
      expect(reasonOf(verify({ ...delivery, body: reserialised }))).toBe('signature_mismatch');
    });

    it('signs exactly as the provider does', () => {
      const signed = scheme.sign({ secret: secrets[0], method: 'POST', url: DELIVERY_URL, body, now: NOW, id, signature });
      const independent = deliver({ signedAt: NOW });

      expect(signed.url).toBe(DELIVERY_URL);
      expect(signed.headers[contract.signatureHeader]).toBe(independent.headers[contract.signatureHeader]);
    });

    it('round-trips sign through verify', () => {
      for (const [, rawBody] of RAW_BYTE_BODIES) {
        const signed = scheme.sign({ secret: secrets[1], method: 'POST', url: DELIVERY_URL, body: rawBody, now: NOW, id, signature });
        const result = verify(request({ url: signed.url, headers: signed.headers, body: rawBody }), secrets);

        expect(result.ok).toBe(true);
      }
    });

    if (!contract.timed) return;

    it('rejects stale and future timestamps', () => {
      const stale = deliver({ signedAt: NOW - (tolerance + 1) * 1000 });
      const future = deliver({ signedAt: NOW + (tolerance + 1) * 1000 });

      expect(reasonOf(verify(stale))).toBe('timestamp_outside_window');
      expect(reasonOf(verify(future))).toBe('timestamp_outside_window');
    });

    it('accepts timestamps at the edge of the window', () => {
      expect(reasonOf(verify(deliver({ signedAt: NOW - tolerance * 1000 })))).toBe('ok');
      expect(reasonOf(verify(deliver({ signedAt: NOW + tolerance * 1000 })))).toBe('ok');
    });

    const timestampHeader = contract.timestampHeader;
    if (timestampHeader === undefined) return;

    it('reports a missing or non-numeric timestamp header', () => {
      expect(reasonOf(verify(withoutHeader(deliver(), timestampHeader)))).toBe('header_missing');
      for (const value of ['soon', '-1716206400', '1716206400.5', ' 1716206400', '0x1F']) {
        expect(reasonOf(verify(withHeader(deliver(), timestampHeader, value))), value).toBe('header_malformed');
      }
    });
  });
}
