import type { VerificationResult } from './scheme-types.js';

// Builders for failed verifications, so every scheme words the same failure the same way.

export function secretMissing(): VerificationResult {
  return { ok: false, reason: 'secret_missing', message: 'The connection has no webhook secret; set one with the connect call or the webhook secrets endpoint.' };
}

export function headerMissing(header: string): VerificationResult {
  return { ok: false, reason: 'header_missing', message: `The ${header} header is missing.` };
}

export function headerMalformed(header: string): VerificationResult {
  return { ok: false, reason: 'header_malformed', message: `The ${header} header is malformed.` };
}

export function signatureMismatch(header: string): VerificationResult {
  return { ok: false, reason: 'signature_mismatch', message: `The ${header} signature does not match the body and any of the connection's webhook secrets.` };
}

/**
 * Returns the failure of a scheme that signs the URL. The message names the URL the platform
 * checks, because a sender that signed a local address instead of the public one cannot
 * otherwise tell why its signature fails.
 */
export function urlSignatureMismatch(header: string, url: string): VerificationResult {
  return {
    ok: false,
    reason: 'signature_mismatch',
    message: `The ${header} signature matches none of the connection's webhook secrets over this request. The signed URL must be ${url}, the connection's webhookUrl.`,
  };
}

/** Returns the failure of a timestamp outside the window; `hint` is a sentence that follows the message. */
export function outsideWindow(toleranceSeconds: number, hint?: string): VerificationResult {
  const message = `The delivery timestamp is more than ${toleranceSeconds} seconds away from the receive time.`;
  return { ok: false, reason: 'timestamp_outside_window', message: hint === undefined ? message : `${message} ${hint}` };
}
