import type { VerificationFailure } from './handshake-types.js';

export function handshakeSecretMissing(): VerificationFailure {
  return {
    ok: false,
    reason: 'secret_missing',
    message: 'The connection has no webhook secret for the subscription handshake. Set one with the connect call or the webhook secrets endpoint.',
  };
}

export function handshakeRejected(reason: VerificationFailure['reason'], message: string): VerificationFailure {
  return { ok: false, reason, message };
}
