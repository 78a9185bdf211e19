import type { PlatformConfig } from '../config/index.js';
import { DEFAULT_SCRYPT_PARAMETERS, type ScryptParameters } from './passwords.js';

/** Settings of sessions, logins and the API rate limit, in the units the code uses. */
export interface AccessSettings {
  /** A session ends after this long without a request, in milliseconds. */
  sessionIdleMs: number;
  /** A session ends this long after login, in milliseconds. */
  sessionLifetimeMs: number;
  /** Average requests per second per API key or session. */
  apiRatePerSecond: number;
  /** Requests per API key or session allowed at once. */
  apiRateBurst: number;
  /** Failed logins per email, and per client address, within `loginFailureWindowMs`. */
  loginMaxFailuresPerEmail: number;
  loginMaxFailuresPerAddress: number;
  loginFailureWindowMs: number;
  /** Parameters of new password hashes. */
  scrypt: ScryptParameters;
  /** Whether the session cookie gets `Secure`: when the public URL is https. */
  secureCookies: boolean;
  /** Whether the client address comes from `X-Forwarded-For` (behind a proxy) instead of the socket. */
  trustProxy: boolean;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The defaults of the configuration, for callers that build the API without one. */
export const DEFAULT_ACCESS_SETTINGS: AccessSettings = {
  sessionIdleMs: 12 * HOUR_MS,
  sessionLifetimeMs: 7 * 24 * HOUR_MS,
  apiRatePerSecond: 50,
  apiRateBurst: 100,
  loginMaxFailuresPerEmail: 5,
  loginMaxFailuresPerAddress: 50,
  loginFailureWindowMs: 15 * MINUTE_MS,
  scrypt: DEFAULT_SCRYPT_PARAMETERS,
  secureCookies: false,
  trustProxy: false,
};

export function accessSettingsFromConfig(config: PlatformConfig): AccessSettings {
  const access = config.access;
  return {
    sessionIdleMs: access.sessionIdleMinutes * MINUTE_MS,
    sessionLifetimeMs: access.sessionLifetimeHours * HOUR_MS,
    apiRatePerSecond: access.apiRatePerSecond,
    apiRateBurst: access.apiRateBurst,
    loginMaxFailuresPerEmail: access.loginMaxFailuresPerEmail,
    loginMaxFailuresPerAddress: access.loginMaxFailuresPerAddress,
    loginFailureWindowMs: access.loginFailureWindowMinutes * MINUTE_MS,
    scrypt: { logN: access.passwordScryptCost, r: 8, p: 1 },
    secureCookies: config.publicUrl?.startsWith('https:') ?? false,
    trustProxy: config.trustProxy,
  };
}
