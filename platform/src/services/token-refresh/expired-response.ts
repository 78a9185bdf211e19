import type { AuthMethod, ResponseCondition } from '@lumio/plugin-sdk';
import type { HttpResponse } from '../../http/index.js';
// Both services must read ResponseCondition the same way, so this one uses retry's matcher.
import { matchesCondition } from '../retry/index.js';
import { isOAuthMethod } from './oauth-credentials.js';

/** Conditions that mean an expired access token when the manifest lists none. */
export const DEFAULT_EXPIRED_WHEN: readonly ResponseCondition[] = [{ status: 401 }];

/**
 * Tells whether a provider response means the OAuth access token expired: any of the
 * method's `refresh.expiredWhen` conditions matches. Other auth methods cannot be
 * refreshed, so for them it is always false.
 */
export function isExpiredResponse(method: AuthMethod, response: HttpResponse): boolean {
  if (!isOAuthMethod(method)) return false;

  const conditions = method.refresh.expiredWhen ?? DEFAULT_EXPIRED_WHEN;
  return conditions.some((condition) => matchesCondition(condition, response));
}
