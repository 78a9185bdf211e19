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
  const read = (name: string | undefined) => (name === undefined ? undefined : findHeader(headers, name));

  const reading: QuotaReading = {};
  const format = quotaHeaders.format ?? 'plain';
  if (format === 'plain') {
    setIfDefined(reading, 'remaining', parseNumber(read(quotaHeaders.remaining)));
    setIfDefined(reading, 'limit', parseNumber(read(quotaHeaders.limit)));
  } else {
    const usage = format === 'shopifyCallLimit' ? parseUsedOfLimit(read(quotaHeaders.remaining)) : parseSforceUsage(read(quotaHeaders.remaining));
    if (usage) {
      reading.remaining = Math.max(0, usage.limit - usage.used);
      reading.limit = usage.limit;
    }
  }

  setIfDefined(reading, 'intervalMs', parseNumber(read(quotaHeaders.intervalMs)));
  setIfDefined(reading, 'resetInMs', parseReset(read(quotaHeaders.reset), quotaHeaders.resetUnit ?? 'seconds', nowMs));

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
