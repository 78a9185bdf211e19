import { createHash, createHmac } from 'node:crypto';

// Signatures computed the way each provider documents them, written here with node:crypto
// and never with the platform's own `sign` functions, so a wrong recipe in the platform
// cannot make its tests agree with it.

/** Shopify: base64 HMAC-SHA256 of the raw body. */
export function shopifySignature(secret: string, body: Buffer): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/** HubSpot v1: hex SHA-256 (a plain hash) of the client secret followed by the body. */
export function hubspotV1Signature(secret: string, body: Buffer): string {
  return createHash('sha256').update(secret, 'utf8').update(body).digest('hex');
}

/** HubSpot v2: hex SHA-256 of the client secret, the method, the full URL and the body. */
export function hubspotV2Signature(secret: string, method: string, url: string, body: Buffer): string {
  return createHash('sha256').update(`${secret}${method}${url}`, 'utf8').update(body).digest('hex');
}

/** HubSpot v3: base64 HMAC-SHA256 of method, URL, body and the millisecond timestamp. */
export function hubspotV3Signature(secret: string, method: string, url: string, body: Buffer, timestampMs: string): string {
  return createHmac('sha256', secret).update(`${method}${url}`).update(body).update(timestampMs).digest('base64');
}

/** Stripe: the `Stripe-Signature` header, `t=<seconds>,v1=<hex HMAC of "t.body">`. */
export function stripeSignatureHeader(secret: string, body: Buffer, timestampSeconds: string): string {
  const signature = createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');
  return `t=${timestampSeconds},v1=${signature}`;
}

/** Meta and GitHub: `sha256=` and the hex HMAC-SHA256 of the body. */
export function hubSignature256(secret: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Slack: `v0=` and the hex HMAC-SHA256 of `v0:<seconds>:<body>`. */
export function slackSignature(secret: string, body: Buffer, timestampSeconds: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSeconds}:`).update(body).digest('hex')}`;
}

/**
 * Standard Webhooks: `v1,` and the base64 HMAC-SHA256 of `<id>.<seconds>.<body>`, keyed with
 * the base64-decoded part of a `whsec_` secret.
 */
export function standardWebhooksSignature(secret: string, id: string, timestampSeconds: string, body: Buffer): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.`).update(body).digest('base64')}`;
}

/**
 * Twilio, form deliveries: base64 HMAC-SHA1 of the URL followed by every parameter, sorted
 * by name, written as name then value (both decoded).
 */
export function twilioFormSignature(authToken: string, url: string, parameters: ReadonlyArray<readonly [string, string]>): string {
  // Sorted by UTF-16 code units, as Array.prototype.sort compares strings.
  const sorted = [...parameters].sort(([a], [b]) => compareCodeUnits(a, b));
  const signed = url + sorted.map(([name, value]) => name + value).join('');
  return createHmac('sha1', authToken).update(signed, 'utf8').digest('base64');
}

function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Twilio, JSON deliveries: the URL gains `bodySHA256` (hex SHA-256 of the body) and the signature covers that URL alone. */
export function twilioJsonDelivery(authToken: string, url: string, body: Buffer): { url: string; signature: string } {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  const signedUrl = `${url}${url.includes('?') ? '&' : '?'}bodySHA256=${bodyHash}`;
  return { url: signedUrl, signature: createHmac('sha1', authToken).update(signedUrl, 'utf8').digest('base64') };
}

/** LinkedIn: `hmacsha256=` and the hex HMAC-SHA256 of the body. */
export function linkedinSignature(secret: string, body: Buffer): string {
  return `hmacsha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** LinkedIn's endpoint validation reply: the hex HMAC-SHA256 of the challenge code. */
export function linkedinChallengeResponse(secret: string, challengeCode: string): string {
  return createHmac('sha256', secret).update(challengeCode, 'utf8').digest('hex');
}

/** HTTP Basic credentials for a `user:password` secret. */
export function basicAuthorization(userAndPassword: string): string {
  return `Basic ${Buffer.from(userAndPassword, 'utf8').toString('base64')}`;
}

/** Appends `secret=<value>` to a URL's query string. */
export function withSecretParameter(url: string, secret: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}secret=${encodeURIComponent(secret)}`;
}

/**
 * The generic HMAC fixture: `sha256=` and the base64 HMAC-SHA256 of
 * `<milliseconds>.<method>.<url>.<body>`, matching the fixture manifest's signedContent.
 */
export function genericHmacSignature(secret: string, timestampMs: string, method: string, url: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampMs}.${method}.${url}.`).update(body).digest('base64')}`;
}
