import type { ResponseCondition } from '@lumio/plugin-sdk';
import type { HttpResponse } from '../../http/index.js';
import { readSegments, splitDotPath } from '../../templates/index.js';

/**
 * Tests a manifest `ResponseCondition` against a response: every part that is given
 * must match. `bodyPath` alone matches a value that is present and not null.
 */
export function matchesCondition(condition: ResponseCondition, response: HttpResponse): boolean {
  if (condition.status !== undefined && condition.status !== response.status) return false;
  if (condition.bodyPath === undefined) return true;

  const value = readBodyValue(response, condition.bodyPath);
  if (value === undefined || value === null) return false;
  if (condition.equals !== undefined && value !== condition.equals) return false;
  if (condition.oneOf !== undefined && !condition.oneOf.some((accepted) => accepted === value)) return false;
  return true;
}

/** Reads a dot path in the JSON body. A text body that contains JSON is parsed, for providers that label JSON as text. */
export function readBodyValue(response: HttpResponse, bodyPath: string): unknown {
  return readSegments(parseJsonBody(response), splitDotPath(bodyPath));
}

function parseJsonBody(response: HttpResponse): unknown {
  if (typeof response.body !== 'string') return response.body;

  const text = response.rawBody.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
