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

/**
 * Tells whether brackets outside string literals nest deeper than `maxDepth`. It scans
 * the text once and is only a guard: malformed JSON is left for JSON.parse to report.
 */
function exceedsDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;

  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
      continue;
    }

    if (char === '"') {
      inString = true;
    } else if (char === '{' || char === '[') {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (char === '}' || char === ']') {
      depth -= 1;
    }
  }
  return false;
}
