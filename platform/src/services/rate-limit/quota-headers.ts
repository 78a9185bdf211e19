import type { QuotaHeaders } from '@lumio/plugin-sdk';
import type { QuotaReading } from './rate-limit-types.js';

// A whole or decimal number of at least 0. Provider headers are untrusted, so anything
// else is ignored instead of raising.
const NUMBER = /^\d+(?:\.\d+)?$/;

// "32/40": requests used, then the bucket size (Shopify's X-Shopify-Shop-Api-Call-Limit).
const USED_OF_LIMIT = /^(\d+)\s*\/\s*(\d+)$/;

/**
 * Reads the provider's quota from a response. Returns null when `quotaHeaders` is
 * absent or the response carries none of its headers with a valid value. `nowMs` turns
 * an epoch `reset` into a delay.
 *
 * Format "plain" reads each header as a number. Format "shopifyCallLimit" reads
 * "used/limit" from the `remaining` header, so "32/40" leaves 8. Format "sforceLimitInfo"
 * reads the "api-usage=used/limit" entry of the `remaining` header, as in Salesforce's
 * "Sforce-Limit-Info: api-usage=18/5000; per-app-api-usage=17/250(appName=x)". A usage
 * above the limit leaves 0.
 */
export function parseQuotaHeaders(
  quotaHeaders: QuotaHeaders | undefined,
  headers: Record<string, string>,
  nowMs: number,
): QuotaReading | null {
  if (!quotaHeaders) return null;
  const responseHeaders = new HeaderReader(headers);

  const reading: QuotaReading = {};
  const format = quotaHeaders.format ?? 'plain';
  if (format === 'plain') {
    setIfDefined(reading, 'remaining', parseNumber(responseHeaders.read(quotaHeaders.remaining)));
    setIfDefined(reading, 'limit', parseNumber(responseHeaders.read(quotaHeaders.limit)));
  } else {
    const usage = format === 'shopifyCallLimit' ? parseUsedOfLimit(responseHeaders.read(quotaHeaders.remaining)) : parseSforceUsage(responseHeaders.read(quotaHeaders.remaining));
    if (usage) {
      reading.remaining = Math.max(0, usage.limit - usage.used);
      reading.limit = usage.limit;
    }
  }

  setIfDefined(reading, 'intervalMs', parseNumber(responseHeaders.read(quotaHeaders.intervalMs)));
  setIfDefined(reading, 'resetInMs', parseReset(responseHeaders.read(quotaHeaders.reset), quotaHeaders.resetUnit ?? 'seconds', nowMs));

  return Object.keys(reading).length === 0 ? null : reading;
}

/** Finds a header by name in any case; HttpResponse headers are already lower-case. */
export function findHeader(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  if (Object.hasOwn(headers, lower)) return headers[lower];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === lower) return value;
  }
  return undefined;
}

/**
 * Reads several headers by name in any case. A name that is not found lower-case costs
 * one pass over the headers for all names together, and none when every header name is
 * lower-case already, as in an `HttpResponse`.
 */
class HeaderReader {
  /** Values by lower-cased name, null when every name is lower-case, undefined before the first miss. */
  private byLowerName: Map<string, string> | null | undefined;

  constructor(private readonly headers: Record<string, string>) {}

  read(name: string | undefined): string | undefined {
    if (name === undefined) return undefined;
    const lower = name.toLowerCase();
    if (Object.hasOwn(this.headers, lower)) return this.headers[lower];

    if (this.byLowerName === undefined) this.byLowerName = indexByLowerName(this.headers);
    return this.byLowerName?.get(lower);
  }
}

// Returns null when every name is lower-case, else the values by lower-cased name. Of
// names that differ only in case the first wins, as in `findHeader`.
function indexByLowerName(headers: Record<string, string>): Map<string, string> | null {
  const names = Object.keys(headers);
  if (names.every((key) => key === key.toLowerCase())) return null;

  const index = new Map<string, string>();
  for (const key of names) {
    const lower = key.toLowerCase();
    if (!index.has(lower)) index.set(lower, headers[key]!);
  }
  return index;
}

function parseNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  return NUMBER.test(text) ? Number(text) : undefined;
}

function parseUsedOfLimit(value: string | undefined): { used: number; limit: number } | undefined {
  const match = value === undefined ? null : USED_OF_LIMIT.exec(value.trim());
  if (!match) return undefined;
  return { used: Number(match[1]), limit: Number(match[2]) };
}

function parseSforceUsage(value: string | undefined): { used: number; limit: number } | undefined {
  if (value === undefined) return undefined;
  for (const entry of value.split(/[;,]/)) {
    const [name, usage] = entry.split('=', 2).map((part) => part.trim());
    if (name?.toLowerCase() === 'api-usage') return parseUsedOfLimit(usage);
  }
  return undefined;
}

function parseReset(value: string | undefined, unit: NonNullable<QuotaHeaders['resetUnit']>, nowMs: number): number | undefined {
  const amount = parseNumber(value);
  if (amount === undefined) return undefined;

  switch (unit) {
    case 'seconds':
      return Math.ceil(amount * 1000);
    case 'milliseconds':
      return Math.ceil(amount);
    case 'epochSeconds':
      return Math.max(0, Math.ceil(amount * 1000 - nowMs));
    case 'epochMilliseconds':
      return Math.max(0, Math.ceil(amount - nowMs));
  }
}

function setIfDefined<K extends keyof QuotaReading>(reading: QuotaReading, key: K, value: QuotaReading[K]): void {
  if (value !== undefined) reading[key] = value;
}
