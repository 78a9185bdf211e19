import { randomBytes } from 'node:crypto';

import { LumioError } from '../errors/index.js';
import type { Logger } from '../observability/index.js';
import type { Store, StoredSession, StoredUser } from '../store/index.js';
import { hashPassword, MAX_PASSWORD_LENGTH, needsRehash, verifyPassword } from './passwords.js';
import { createSessionToken, deriveCsrfToken, hashSessionToken } from './session-tokens.js';
import type { AccessSettings } from './settings.js';
import { TokenBuckets } from './token-bucket.js';
import { normalizeEmail } from './users.js';

/** A new session, with the token for the cookie. The token is not stored, so this is the only time it exists in clear. */
export interface LoginResult {
  user: StoredUser;
  session: StoredSession;
  token: string;
  csrfToken: string;
}

/**
 * Checks email and password and opens sessions. Failures are counted per email and per
 * client address, and once either allowance is used up further attempts get 429 without a
 * password check, until the allowance refills over the failure window.
 */
export class LoginService {
  readonly #store: Store;
  readonly #settings: AccessSettings;
  readonly #logger: Logger;
  readonly #failuresByEmail: TokenBuckets;
  readonly #failuresByAddress: TokenBuckets;
  #dummyHash: Promise<string> | null = null;

  constructor(store: Store, settings: AccessSettings, logger: Logger) {
    this.#store = store;
    this.#settings = settings;
    this.#logger = logger;

    const windowSeconds = settings.loginFailureWindowMs / 1000;
    this.#failuresByEmail = new TokenBuckets({ capacity: settings.loginMaxFailuresPerEmail, refillPerSecond: settings.loginMaxFailuresPerEmail / windowSeconds });
    this.#failuresByAddress = new TokenBuckets({ capacity: settings.loginMaxFailuresPerAddress, refillPerSecond: settings.loginMaxFailuresPerAddress / windowSeconds });
  }

  /** Raises LOGIN_FAILED (401) for a wrong email or password alike, and LOGIN_RATE_LIMITED (429) after too many failures. */
  async login(emailInput: unknown, passwordInput: unknown, address: string): Promise<LoginResult> {
    if (typeof emailInput !== 'string' || emailInput.trim() === '') {
      throw new LumioError('FIELD_REQUIRED', 'email is required: the email address of a studio user.', { status: 400, fault: 'caller', details: { field: 'email' } });
    }
    if (typeof passwordInput !== 'string' || passwordInput === '') {
      throw new LumioError('FIELD_REQUIRED', 'password is required.', { status: 400, fault: 'caller', details: { field: 'password' } });
    }
    const email = normalizeEmail(emailInput);
    // Started at the first login of any kind, so the first unknown email does not wait for it.
    void this.#getDummyHash();

    this.#checkAllowance(email, address);

    const user = await this.#checkPassword(email, passwordInput);
    if (!user) {
      this.#failuresByEmail.take(email);
      this.#failuresByAddress.take(address);
      this.#logger.info({ address }, 'login failed');
      throw new LumioError('LOGIN_FAILED', 'The email or the password is wrong.', { status: 401, fault: 'caller' });
    }
    this.#failuresByEmail.reset(email);

    // A hash made with weaker parameters than today's is replaced while the password is at hand.
    const newHash = needsRehash(user.passwordHash, this.#settings.scrypt) ? await hashPassword(passwordInput, this.#settings.scrypt) : undefined;
    user.lastLoginAt = await this.#store.users.recordLogin(user.id, newHash);
    await this.#store.sessions.deleteExpired(new Date(Date.now() - this.#settings.sessionIdleMs).toISOString());

    const token = createSessionToken();
    const session = await this.#store.sessions.create({
      workspaceId: user.workspaceId,
      userId: user.id,
      tokenHash: hashSessionToken(token),
      expiresAt: new Date(Date.now() + this.#settings.sessionLifetimeMs).toISOString(),
    });
    this.#logger.info({ userId: user.id, workspaceId: user.workspaceId, sessionId: session.id }, 'login succeeded');

    const { passwordHash: _hash, ...stored } = user;
    return { user: stored, session, token, csrfToken: deriveCsrfToken(token) };
  }

  #checkAllowance(email: string, address: string): void {
    const byEmail = this.#failuresByEmail.check(email);
    const byAddress = this.#failuresByAddress.check(address);
    if (byEmail.allowed && byAddress.allowed) return;

    const retryAfterSeconds = Math.max(byEmail.retryAfterSeconds, byAddress.retryAfterSeconds);
    this.#logger.warn({ address, byEmail: !byEmail.allowed, byAddress: !byAddress.allowed }, 'login attempts rate-limited');
    throw new LumioError('LOGIN_RATE_LIMITED', `Too many failed logins for this email or from this address; try again in ${retryAfterSeconds} seconds.`, {
      status: 429,
      fault: 'caller',
      details: { retryAfterSeconds },
    });
  }

  /** Returns a hash of a random password with the current parameters, made once. */
  #getDummyHash(): Promise<string> {
    this.#dummyHash ??= hashPassword(randomBytes(16).toString('hex'), this.#settings.scrypt);
    return this.#dummyHash;
  }

  /**
   * Returns the user when the password matches. An unknown email is checked against a dummy
   * hash, so the response time does not tell which emails exist.
   */
  async #checkPassword(email: string, password: string): Promise<(StoredUser & { passwordHash: string }) | null> {
    const user = await this.#store.users.findForLogin(email);
    const tooLong = [...password].length > MAX_PASSWORD_LENGTH;

    if (!user || tooLong) {
      await verifyPassword(tooLong ? '' : password, await this.#getDummyHash());
      return null;
    }
    return (await verifyPassword(password, user.passwordHash)) ? user : null;
  }
}
