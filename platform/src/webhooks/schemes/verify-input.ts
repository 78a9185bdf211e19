import type { WebhookSignature } from '@lumio/plugin-sdk';
import type { WebhookRequest } from './scheme-types.js';
import { DEFAULT_TOLERANCE_SECONDS } from './timestamp-window.js';

/** Returns a header's value, or undefined when the header is absent or empty. */
export function readHeader(request: WebhookRequest, lowerCaseName: string): string | undefined {
  const value = request.headers[lowerCaseName];
  return value === undefined || value.length === 0 ? undefined : value;
}

/** Drops empty strings from the connection's secrets, because an unset secret must never verify a delivery. */
export function usableSecrets(secrets: readonly string[]): string[] {
  return secrets.filter((secret) => secret.length > 0);
}

/** Returns the manifest's timestamp tolerance in seconds, or the default of 300. */
export function toleranceSeconds(signature: WebhookSignature): number {
  return signature.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
}
