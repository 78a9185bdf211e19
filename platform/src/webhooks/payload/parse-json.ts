import { MAX_NESTING_DEPTH, bodyInvalid } from './body-invalid.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes body bytes as UTF-8, rejecting invalid sequences instead of replacing them. */
export function decodeUtf8(raw: Uint8Array): string {
  try {
    return utf8.decode(raw);
  } catch (error) {
    throw bodyInvalid('The webhook body is not valid UTF-8. Send it UTF-8 encoded.', error);
  }
}

/**
 * Parses JSON text after checking its nesting depth, so a hostile body cannot make later
 * recursive steps overflow the stack. `source` names the text in error messages.
 */
export function parseJsonText(text: string, source: string): unknown {
  if (exceedsDepth(text, MAX_NESTING_DEPTH)) {
    throw bodyInvalid(`${source} nests objects or arrays deeper than ${MAX_NESTING_DEPTH} levels. Send a flatter document.`);
  }

  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw bodyInvalid(`${source} is not valid JSON (${reason}).`, error);
  }
}

/** Parses a JSON body from its raw bytes. */
export function parseJsonBody(raw: Uint8Array): unknown {
  return parseJsonText(decodeUtf8(raw), 'The webhook body');
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Tells whether brackets outside string literals nest deeper than `maxDepth`. It scans
 * the text once and is only a guard: malformed JSON is left for JSON.parse to report.
 * String literals are skipped with indexOf, which is faster than a character loop over
 * long text values.
 */
function exceedsDepth(text: string, maxDepth: number): boolean {
  let depth = 0;

  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      index = closingQuoteIndex(text, index + 1);
      if (index < 0) return false;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth -= 1;
    }
  }
  return false;
}

/** Returns the index of the quote that ends a string literal starting at `from`, or -1 when the text ends first. */
function closingQuoteIndex(text: string, from: number): number {
  let quote = text.indexOf('"', from);
  while (quote >= 0) {
    // A quote preceded by an odd number of backslashes is escaped and part of the string.
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return -1;
}
