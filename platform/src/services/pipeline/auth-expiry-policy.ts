import type { AuthMethod, RetryPolicy } from '@lumio/plugin-sdk';

import { isOAuthMethod } from '../token-refresh/index.js';

/**
 * Adds the auth method's `refresh.expiredWhen` conditions that look at the body to the retry
 * policy as `authExpired` body rules, so a provider that reports an expired token inside a
 * 200 or a 400 body (not only with a 401) also triggers a refresh and one retry.
 * Status-only conditions need nothing: the policy's `authExpiredStatuses` covers them.
 */
export function withAuthExpiryRules(policy: RetryPolicy | undefined, method: AuthMethod): RetryPolicy | undefined {
  if (!isOAuthMethod(method)) return policy;

  const bodyConditions = (method.refresh.expiredWhen ?? []).filter((condition) => condition.bodyPath !== undefined);
  if (bodyConditions.length === 0) return policy;

  const expiryRules = bodyConditions.map((when) => ({ when, outcome: 'authExpired' as const }));
  return { ...policy, bodyRules: [...expiryRules, ...(policy?.bodyRules ?? [])] };
}
