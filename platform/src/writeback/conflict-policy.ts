import type { ConflictPolicy, RecordWriteError } from '../store/index.js';

/** Default conflict policy of a connection with no write-back settings. */
export const DEFAULT_CONFLICT_POLICY: ConflictPolicy = 'newest_wins';

export interface ConflictInput {
  policy: ConflictPolicy;
  /** When the change was made in Lumio (ISO 8601). */
  changedAt: string;
  /** The provider's last-modified time Lumio had stored when it accepted the change, or null. */
  baseSourceUpdatedAt: string | null;
  /** The provider's last-modified time now, or null when the provider does not report one. */
  providerUpdatedAt: string | null;
  /** Provider name for the reason, e.g. "HubSpot". */
  provider: string;
}

/**
 * Decides whether a write goes ahead. Returns undefined to write, or the reason to skip:
 * `provider_wins` skips when the provider changed the record after the time Lumio had
 * stored, `newest_wins` skips when the provider's change is later than Lumio's, and
 * `lumio_wins` never skips. Without a provider time there is nothing to compare, so
 * the write goes ahead.
 */
export function decideConflict(input: ConflictInput): RecordWriteError | undefined {
  if (input.policy === 'lumio_wins' || input.providerUpdatedAt === null) return undefined;
  const providerMs = Date.parse(input.providerUpdatedAt);

  if (input.policy === 'provider_wins') {
    const baseMs = input.baseSourceUpdatedAt === null ? Number.NEGATIVE_INFINITY : Date.parse(input.baseSourceUpdatedAt);
    if (providerMs <= baseMs) return undefined;
    const since = input.baseSourceUpdatedAt === null ? 'and Lumio had no earlier version of it' : `after the version Lumio had (${input.baseSourceUpdatedAt})`;
    return {
      code: 'CONFLICT_PROVIDER_CHANGED',
      message: `${input.provider} changed the record at ${input.providerUpdatedAt}, ${since}; the connection's conflict policy provider_wins keeps the provider's version.`,
      details: { policy: input.policy, providerUpdatedAt: input.providerUpdatedAt, baseSourceUpdatedAt: input.baseSourceUpdatedAt, changedAt: input.changedAt },
    };
  }

  if (providerMs <= Date.parse(input.changedAt)) return undefined;
  return {
    code: 'CONFLICT_PROVIDER_NEWER',
    message: `${input.provider} changed the record at ${input.providerUpdatedAt}, after the change in Lumio at ${input.changedAt}; the connection's conflict policy newest_wins keeps the newer provider version.`,
    details: { policy: input.policy, providerUpdatedAt: input.providerUpdatedAt, baseSourceUpdatedAt: input.baseSourceUpdatedAt, changedAt: input.changedAt },
  };
}
