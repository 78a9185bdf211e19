import { LumioError } from '../errors/index.js';
import type { Logger } from '../observability/index.js';
import type { Store, StoredSession, StoredUser } from '../store/index.js';
import { LoginService, type LoginResult } from './login.js';
import { ROLE_PERMISSIONS } from './permissions.js';
import { apiKeyPrincipal, userPrincipal, type ApiPrincipal } from './principal.js';
import { hashSessionToken, isSessionTokenShaped } from './session-tokens.js';
import type { AccessSettings } from './settings.js';
import { TokenBuckets } from './token-bucket.js';

export interface AccessServiceOptions {
  store: Store;
  settings: AccessSettings;
  logger: Logger;
}

/** A valid session found from its cookie token. */
export interface ActiveSession {
  principal: ApiPrincipal;
  session: StoredSession;
  user: StoredUser;
}

/** `lastUsedAt` of a session is written at most this often, so reads do not each become a write. */
const TOUCH_INTERVAL_MS = 60_000;

/** Authentication by API key or session, logins, and the per-caller request rate limit. */
export class AccessService {
  readonly settings: AccessSettings;
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #logins: LoginService;
  readonly #requests: TokenBuckets;

  constructor(options: AccessServiceOptions) {
    this.settings = options.settings;
    this.#store = options.store;
    this.#logger = options.logger;
    this.#logins = new LoginService(options.store, options.settings, options.logger);
    this.#requests = new TokenBuckets({ capacity: options.settings.apiRateBurst, refillPerSecond: options.settings.apiRatePerSecond });
  }

  /** Returns the key's principal, or null for an unknown or revoked key. Updates the key's `lastUsedAt`. */
  async authenticateApiKey(key: string): Promise<ApiPrincipal | null> {
    const record = await this.#store.apiKeys.verify(key);
    return record ? apiKeyPrincipal(record) : null;
  }

  /** Returns the session of a cookie token, or null when it is unknown, idle too long or past its end. Expired sessions are deleted. */
  async authenticateSession(token: string): Promise<ActiveSession | null> {
    if (!isSessionTokenShaped(token)) return null;

    const session = await this.#store.sessions.findByTokenHash(hashSessionToken(token));
    if (!session) return null;

    const now = Date.now();
    const idleUntil = Date.parse(session.lastUsedAt) + this.settings.sessionIdleMs;
    if (now >= Date.parse(session.expiresAt) || now >= idleUntil) {
      await this.#store.sessions.delete(session.id);
      this.#logger.info({ sessionId: session.id, userId: session.userId }, 'session expired');
      return null;
    }

    const user = await this.#store.users.get(session.workspaceId, session.userId);
    if (!user) return null;

    if (now - Date.parse(session.lastUsedAt) >= TOUCH_INTERVAL_MS) {
      session.lastUsedAt = await this.#store.sessions.touch(session.id);
    }
    return { principal: userPrincipal(user, ROLE_PERMISSIONS[user.role], session.id), session, user };
  }

  login(email: unknown, password: unknown, address: string): Promise<LoginResult> {
    return this.#logins.login(email, password, address);
  }

  async logout(sessionId: string): Promise<void> {
    await this.#store.sessions.delete(sessionId);
    this.#logger.info({ sessionId }, 'logged out');
  }

  /** Takes one request from the caller's allowance; raises RATE_LIMITED (429) when it is used up. */
  limitRequest(principal: ApiPrincipal): void {
    const caller = principal.sessionId ? `session:${principal.sessionId}` : `key:${principal.apiKeyId ?? ''}`;
    const result = this.#requests.take(caller);
    if (result.allowed) return;

    const subject = principal.sessionId ? 'this session' : 'this API key';
    throw new LumioError(
      'RATE_LIMITED',
      `Too many requests for ${subject}: the limit is ${this.settings.apiRatePerSecond} per second with bursts of ${this.settings.apiRateBurst}; retry after ${result.retryAfterSeconds} seconds.`,
      { status: 429, fault: 'caller', details: { retryAfterSeconds: result.retryAfterSeconds } },
    );
  }
}
