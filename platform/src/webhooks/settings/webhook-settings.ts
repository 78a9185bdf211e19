import { BlockList, isIP } from 'node:net';

import { LumioError } from '../../errors/index.js';
import type { Logger } from '../../observability/index.js';
import type { CredentialCipher } from '../../security/index.js';
import type { Store } from '../../store/index.js';

/** A connection's webhook secrets and source-address allowlist, as stored encrypted. */
export interface WebhookSettings {
  /** Secrets newest first; a delivery that verifies with any of them is accepted, so a provider's secret can rotate. */
  secrets: string[];
  /** IP addresses or CIDR ranges deliveries may come from. Empty accepts any address. */
  allowedIps: string[];
  /**
   * Token a subscription handshake must present, such as Meta's `hub.verify_token`. It is
   * kept apart from the secrets because it travels in a URL, so it must never verify a delivery.
   */
  verifyToken: string | null;
}

/** Settings with the allowlist compiled, as the router uses them per delivery. */
export interface LoadedWebhookSettings extends WebhookSettings {
  allowlist: BlockList | null;
}

export const MAX_WEBHOOK_SECRETS = 10;
const MAX_SECRET_LENGTH = 4096;
const MAX_ALLOWED_IPS = 100;
/**
 * How long a process reuses decrypted settings. A change made through this process is seen
 * at once; other processes see it within this time.
 */
const CACHE_TTL_MS = 5_000;

/**
 * Stores webhook settings encrypted like credentials. The envelope's associated data is the
 * connection id with a suffix, so a credentials envelope copied into this table (or the
 * reverse) fails to decrypt.
 */
export class WebhookSettingsService {
  readonly #store: Store;
  readonly #cipher: CredentialCipher;
  readonly #logger: Logger;
  readonly #cache = new Map<string, { settings: LoadedWebhookSettings; expiresAt: number }>();

  constructor(options: { store: Store; cipher: CredentialCipher; logger: Logger }) {
    this.#store = options.store;
    this.#cipher = options.cipher;
    this.#logger = options.logger;
  }

  /** Returns the connection's settings, or empty ones when none were set. */
  async get(connectionId: string): Promise<LoadedWebhookSettings> {
    const cached = this.#cache.get(connectionId);
    if (cached && cached.expiresAt > Date.now()) return cached.settings;

    const envelope = await this.#store.webhookSecrets.get(connectionId);
    const stored = envelope ? (this.#cipher.decrypt(settingsScope(connectionId), envelope) as Partial<WebhookSettings>) : {};
    const settings = compile({ secrets: stored.secrets ?? [], allowedIps: stored.allowedIps ?? [], verifyToken: stored.verifyToken ?? null });
    this.#cache.set(connectionId, { settings, expiresAt: Date.now() + CACHE_TTL_MS });
    return settings;
  }

  /**
   * Replaces the fields given and keeps the others. Values are checked first, so a bad
   * request changes nothing.
   */
  async update(connectionId: string, change: { secrets?: unknown; allowedIps?: unknown; verifyToken?: unknown }): Promise<LoadedWebhookSettings> {
    const current = await this.get(connectionId);
    const next: WebhookSettings = {
      secrets: change.secrets === undefined ? current.secrets : checkSecrets(change.secrets),
      allowedIps: change.allowedIps === undefined ? current.allowedIps : checkAllowedIps(change.allowedIps),
      verifyToken: change.verifyToken === undefined ? current.verifyToken : checkVerifyToken(change.verifyToken),
    };

    await this.#store.webhookSecrets.put(connectionId, this.#cipher.encrypt(settingsScope(connectionId), { ...next }));
    const settings = compile(next);
    this.#cache.set(connectionId, { settings, expiresAt: Date.now() + CACHE_TTL_MS });
    this.#logger.info({ connectionId, secrets: next.secrets.length, allowedIps: next.allowedIps.length, verifyToken: next.verifyToken !== null }, 'webhook settings updated');
    return settings;
  }
}

function settingsScope(connectionId: string): string {
  return `${connectionId}#webhook-settings`;
}

function compile(settings: WebhookSettings): LoadedWebhookSettings {
  if (settings.allowedIps.length === 0) return { ...settings, allowlist: null };

  const allowlist = new BlockList();
  for (const entry of settings.allowedIps) addToBlockList(allowlist, entry);
  return { ...settings, allowlist };
}

/** Checks the `webhookSecrets` list of a connect call or a settings update. */
export function checkSecrets(value: unknown): string[] {
  if (!Array.isArray(value)) {
    throw fieldError('webhookSecrets', 'webhookSecrets must be a JSON array of strings, newest first.');
  }
  if (value.length > MAX_WEBHOOK_SECRETS) {
    throw fieldError('webhookSecrets', `webhookSecrets contains ${value.length} secrets, more than the maximum of ${MAX_WEBHOOK_SECRETS}.`);
  }
  value.forEach((secret, index) => {
    if (typeof secret !== 'string' || secret.length === 0 || secret.length > MAX_SECRET_LENGTH) {
      throw fieldError(`webhookSecrets[${index}]`, `webhookSecrets[${index}] must be a non-empty string of at most ${MAX_SECRET_LENGTH} characters.`);
    }
  });
  return [...new Set(value as string[])];
}

/** Checks a handshake verify token; null removes it. */
export function checkVerifyToken(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_SECRET_LENGTH) {
    throw fieldError('webhookVerifyToken', `webhookVerifyToken must be a non-empty string of at most ${MAX_SECRET_LENGTH} characters, or null to remove it.`);
  }
  return value;
}

/** Checks an allowlist of IPv4 or IPv6 addresses and CIDR ranges. */
export function checkAllowedIps(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > MAX_ALLOWED_IPS) {
    throw fieldError('webhookAllowedIps', `webhookAllowedIps must be a JSON array of at most ${MAX_ALLOWED_IPS} addresses or CIDR ranges.`);
  }
  value.forEach((entry, index) => {
    if (typeof entry !== 'string' || !addToBlockList(new BlockList(), entry, false)) {
      throw fieldError(`webhookAllowedIps[${index}]`, `webhookAllowedIps[${index}] is not an IP address or CIDR range such as 203.0.113.0/24.`);
    }
  });
  return value as string[];
}

/** Adds an address or range; returns false (or throws when `strict`) for anything else. */
function addToBlockList(list: BlockList, entry: string, strict = true): boolean {
  const [address = '', prefixText] = entry.split('/');
  const family = isIP(address);
  if (family === 0) {
    if (strict) throw fieldError('webhookAllowedIps', `${entry} is not an IP address.`);
    return false;
  }

  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (prefixText === undefined) {
    list.addAddress(address, type);
    return true;
  }
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > (family === 4 ? 32 : 128)) {
    if (strict) throw fieldError('webhookAllowedIps', `${entry} has an invalid prefix length.`);
    return false;
  }
  list.addSubnet(address, prefix, type);
  return true;
}

/** Tells whether a delivery's source address is allowed; IPv4-mapped IPv6 addresses count as IPv4. */
export function isAddressAllowed(settings: LoadedWebhookSettings, address: string | undefined): boolean {
  if (!settings.allowlist) return true;
  if (!address) return false;

  const unmapped = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  const family = isIP(unmapped);
  if (family === 0) return false;
  return settings.allowlist.check(unmapped, family === 4 ? 'ipv4' : 'ipv6');
}

function fieldError(field: string, message: string): LumioError {
  return new LumioError('FIELD_INVALID', message, { status: 400, fault: 'caller', details: { field } });
}
