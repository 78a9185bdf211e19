import { LumioError } from '../../errors/index.js';

/**
 * Maximum nesting of objects and arrays in a parsed body (JSON brackets, form field
 * brackets, XML elements). Deeper bodies are rejected before later steps walk them.
 */
export const MAX_NESTING_DEPTH = 64;

/** Maximum length of a field name or path quoted in an error message. */
const QUOTE_LIMIT = 80;

/** Builds the 400 error that every payload parser throws. */
export function bodyInvalid(message: string, cause?: unknown): LumioError {
  return new LumioError('WEBHOOK_BODY_INVALID', message, { status: 400, fault: 'caller', cause });
}

/** Quotes a sender-controlled name for an error message, cut to a readable length. */
export function quoteName(name: string): string {
  const shortened = name.length > QUOTE_LIMIT ? `${name.slice(0, QUOTE_LIMIT)}...` : name;
  return JSON.stringify(shortened);
}
