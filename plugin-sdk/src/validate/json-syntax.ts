/** Position and description of the first syntax error in a JSON text. */
export interface JsonSyntaxError {
  /** Offset in UTF-16 code units from the start of the text. */
  offset: number;
  /** 1-based line number. */
  line: number;
  /** 1-based column, counted in UTF-16 code units. */
  column: number;
  /** Plain sentence describing the error. */
  message: string;
}

type Expectation = 'value' | 'firstValue' | 'key' | 'firstKey' | 'colon' | 'afterValue';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_$][\w$]*/y;

/**
 * Finds the first RFC 8259 syntax error in `text`, or returns undefined when it is valid
 * JSON. Node's JSON.parse messages give no position for many errors, so this scanner
 * locates the error itself. It keeps an explicit stack, so deeply nested input cannot
 * overflow the call stack.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const error = scan(text);
  return error === undefined ? undefined : { ...error, ...lineAndColumn(text, error.offset) };
}

function scan(text: string): { offset: number; message: string } | undefined {
  const stack: ('{' | '[')[] = [];
  let expectation: Expectation = 'value';
  let index = 0;

  for (;;) {
    while (index < text.length && ' \t\n\r'.includes(text[index] ?? '')) index++;
    if (index >= text.length) {
      if (stack.length === 0 && expectation === 'afterValue') return undefined;
      return { offset: index, message: `Unexpected end of input: ${describeExpectation(expectation, stack.at(-1))}.` };
    }
    const char = text[index] ?? '';
    const container = stack.at(-1);
    if (char === '/') return { offset: index, message: 'Comments are not allowed in JSON.' };

    if (expectation === 'afterValue') {
      if (container === undefined) return { offset: index, message: 'Unexpected text after the end of the JSON value.' };
      if (char === ',') {
        expectation = container === '{' ? 'key' : 'value';
        index++;
      } else if ((container === '{' && char === '}') || (container === '[' && char === ']')) {
        stack.pop();
        index++;
      } else {
        return { offset: index, message: `Unexpected ${describeChar(char)}: ${describeExpectation('afterValue', container)}.` };
      }
      continue;
    }

    if (expectation === 'colon') {
      if (char !== ':') return { offset: index, message: `Unexpected ${describeChar(char)}: expected ':' after a property name.` };
      expectation = 'value';
      index++;
      continue;
    }

    if (expectation === 'firstKey' || expectation === 'key') {
      if (char === '}' && expectation === 'firstKey') {
        stack.pop();
        expectation = 'afterValue';
        index++;
        continue;
      }
      if (char === '}') return { offset: index, message: "A trailing comma before '}' is not allowed in JSON." };
      if (char !== '"') {
        return { offset: index, message: `Unexpected ${describeChar(char)}: expected a property name in double quotes.` };
      }
      const stringError = scanString(text, index);
      if (typeof stringError !== 'number') return stringError;
      index = stringError;
      expectation = 'colon';
      continue;
    }

    // expectation is 'value' or 'firstValue'
    if (char === ']' && expectation === 'firstValue') {
      stack.pop();
      expectation = 'afterValue';
      index++;
      continue;
    }
    if (char === ']' && container === '[') return { offset: index, message: "A trailing comma before ']' is not allowed in JSON." };

    if (char === '{' || char === '[') {
      stack.push(char);
      expectation = char === '{' ? 'firstKey' : 'firstValue';
      index++;
      continue;
    }
    const end = scanScalar(text, index);
    if (typeof end !== 'number') return end;
    index = end;
    expectation = 'afterValue';
  }
}

/** Scans a string, number or literal at `start`; returns the offset after it or an error. */
function scanScalar(text: string, start: number): number | { offset: number; message: string } {
  const char = text[start] ?? '';
  if (char === '"') return scanString(text, start);
  if (char === "'") return { offset: start, message: 'Strings must use double quotes in JSON.' };

  if (char === '-' || (char >= '0' && char <= '9')) {
    NUMBER.lastIndex = start;
    const match = NUMBER.exec(text);
    const after = text[start + (match?.[0].length ?? 0)] ?? '';
    if (match === null || /[0-9.eE+-]/.test(after)) return { offset: start, message: 'Invalid number.' };
    return start + match[0].length;
  }

  WORD.lastIndex = start;
  const word = WORD.exec(text)?.[0];
  if (word === 'true' || word === 'false' || word === 'null') return start + word.length;
  if (word !== undefined) {
    return { offset: start, message: `Unexpected word '${word}': expected a value (text values need double quotes).` };
  }
  return { offset: start, message: `Unexpected ${describeChar(char)}: expected a value.` };
}

/** Scans a string starting at its opening quote; returns the offset after the closing quote or an error. */
function scanString(text: string, start: number): number | { offset: number; message: string } {
  let index = start + 1;
  while (index < text.length) {
    const char = text[index] ?? '';
    if (char === '"') return index + 1;
    if (char === '\\') {
      const escape = text[index + 1] ?? '';
      if (escape === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) {
          return { offset: index, message: 'Invalid \\u escape: it needs four hexadecimal digits.' };
        }
        index += 6;
        continue;
      }
      if (!'"\\/bfnrt'.includes(escape) || escape === '') {
        return { offset: index, message: `Invalid escape sequence '\\${escape}' in a string.` };
      }
      index += 2;
      continue;
    }
    if (char.charCodeAt(0) < 0x20) {
      return { offset: index, message: 'Unescaped control character (such as a line break) in a string.' };
    }
    index++;
  }
  return { offset: start, message: 'Unterminated string: the closing double quote is missing.' };
}

function describeExpectation(expectation: Expectation, container: '{' | '[' | undefined): string {
  switch (expectation) {
    case 'afterValue':
      return container === '{' ? "expected ',' or '}' after a property value" : "expected ',' or ']' after an array element";
    case 'colon':
      return "expected ':' after a property name";
    case 'key':
    case 'firstKey':
      return 'expected a property name in double quotes';
    default:
      return 'expected a value';
  }
}

function describeChar(char: string): string {
  return char === '\u00a0' || char.trim() === '' ? `character U+${char.charCodeAt(0).toString(16).padStart(4, '0')}` : `'${char}'`;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset; index++) {
    if (text[index] === '\n') {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
