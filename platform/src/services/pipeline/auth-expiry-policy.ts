import type { AuthMethod, RetryPolicy } from '@lumio/plugin-sdk';

import { isOAuthMethod } from '../token-refresh/index.js';

/**
 * Adds the body conditions of the auth method's `refresh.expiredWhen` to the retry policy
 * as `authExpired` body rules. An expired token reported inside a 200 or a 400 body then
 * leads to a refresh and one retry, as a 401 does. Status-only conditions need no rule,
 * because the policy's `authExpiredStatuses` covers them.
 */
export function withAuthExpiryRules(policy: RetryPolicy | undefined, method: AuthMethod): RetryPolicy | undefined {
  if (!isOAuthMethod(method)) return policy;

  const bodyConditions = (method.refresh.expiredWhen ?? []).filter((condition) => condition.bodyPath !== undefined);
  if (bodyConditions.length === 0) return policy;

  const expiryRules = bodyConditions.map((when) => ({ when, outcome: 'authExpired' as const }));
  return { ...policy, bodyRules: [...expiryRules, ...(policy?.bodyRules ?? [])] };
}
