import { suggestClosest } from '@lumio/plugin-sdk';

import { LumioError } from '../errors/index.js';

/** Types of the events Lumio sends to subscribers. */
export const LUMIO_EVENT_TYPES = [
  'integration.connected',
  'integration.disconnected',
  'sync.started',
  'sync.completed',
  'sync.failed',
  'webhook.received',
  'record.created',
  'record.updated',
  'record.deleted',
  'error.critical',
] as const;

export type LumioEventType = (typeof LUMIO_EVENT_TYPES)[number];

/** Largest number of entries in a subscription's `events` list. */
export const MAX_EVENT_PATTERNS = 50;

const WILDCARD = '*';
const PREFIXES = new Set(LUMIO_EVENT_TYPES.map((type) => type.slice(0, type.indexOf('.'))));

function invalidEvents(message: string): LumioError {
  return new LumioError('FIELD_INVALID', message, { status: 400, fault: 'caller', details: { field: 'events' } });
}

function checkPattern(pattern: string): void {
  if ((LUMIO_EVENT_TYPES as readonly string[]).includes(pattern) || pattern === WILDCARD) {
    return;
  }
  if (pattern.endsWith('.*') && PREFIXES.has(pattern.slice(0, -2))) {
    return;
  }

  const suggestion = suggestClosest(pattern, [...LUMIO_EVENT_TYPES, ...[...PREFIXES].map((prefix) => `${prefix}.*`)]);
  const hint = suggestion ? ` Did you mean ${suggestion}?` : '';
  throw invalidEvents(`"${pattern}" is not a Lumio event type; use one of ${LUMIO_EVENT_TYPES.join(', ')}, a group such as record.*, or * for every event.${hint}`);
}

/**
 * Validates a subscription's `events` list and returns it without repeated entries, in
 * the given order. Entries are exact types, `<group>.*` for every type of a group
 * (`record.*`), or `*` for every event. Raises FIELD_INVALID (400) for anything else.
 */
export function checkEventPatterns(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalidEvents('events must be a non-empty list of event types, such as ["sync.completed", "record.*"].');
  }
  if (value.length > MAX_EVENT_PATTERNS) {
    throw invalidEvents(`events lists ${value.length} entries; list at most ${MAX_EVENT_PATTERNS}, using groups such as record.* or * for every event.`);
  }

  const patterns: string[] = [];
  for (const entry of value) {
    if (typeof entry !== 'string') {
      throw invalidEvents('events must contain only strings, such as "sync.completed".');
    }
    checkPattern(entry);
    if (!patterns.includes(entry)) {
      patterns.push(entry);
    }
  }
  return patterns;
}

/** Tells whether an event type matches any pattern of a subscription's `events` list. */
export function matchesEventPatterns(patterns: readonly string[], type: string): boolean {
  return patterns.some((pattern) => {
    if (pattern === WILDCARD || pattern === type) {
      return true;
    }
    return pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1));
  });
}
