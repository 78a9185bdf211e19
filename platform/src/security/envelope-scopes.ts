import type { EnvelopeTable } from '../store/index.js';

/**
 * Associated data of each encrypted table's envelopes, by row id. The suffixes keep the
 * tables apart, so an envelope copied from one table to another fails to decrypt.
 *
 * NOTE: the webhook settings service and the event subscription secrets build their own
 * associated data (`webhooks/settings/webhook-settings.ts`, `events/subscription-secret.ts`).
 * These copies must match them; test/security/key-rotation checks that rotated rows still
 * decrypt through those services.
 */
export const ENVELOPE_SCOPES: Record<EnvelopeTable, (rowId: string) => string> = {
  credentials: (connectionId) => connectionId,
  webhook_secrets: (connectionId) => `${connectionId}#webhook-settings`,
  event_subscriptions: (subscriptionId) => `${subscriptionId}#events`,
  oauth_states: oauthStateScope,
};

/** Associated data of an OAuth authorization state's envelope (its PKCE verifier and client secret). */
export function oauthStateScope(stateId: string): string {
  return `${stateId}#oauth-state`;
}
