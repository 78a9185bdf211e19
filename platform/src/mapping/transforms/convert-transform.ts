import { FieldError, quoteValue, valueStep, type ValueStep } from './transform-step.js';

const TRUE_TEXT = new Set(['true', '1', 'yes']);
const FALSE_TEXT = new Set(['false', '0', 'no']);

type ConvertTarget = 'string' | 'number' | 'integer' | 'boolean';

/**
 * Converts between text, numbers and booleans. Empty text becomes null, because APIs
 * such as HubSpot send "" for an unset number or boolean property. A value that cannot
 * be converted raises a `CONVERSION_FAILED` field error.
 */
export function compileConvert(to: ConvertTarget): ValueStep {
  switch (to) {
    case 'string':
      return valueStep('convert', toText);
    case 'number':
      return valueStep('convert', (value) => toNumber(value, 'number'));
    case 'integer':
      return valueStep('convert', toInteger);
    case 'boolean':
      return valueStep('convert', toBoolean);
  }
}

function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw failed(value, 'text');
}

function toNumber(value: unknown, name: string): number | null {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    throw failed(value, name);
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return null;
    const number = Number(text);
    if (Number.isFinite(number) && isDecimalText(text)) return number;
  }
  throw failed(value, name);
}

/**
 * Rejects the hex, binary and octal forms ("0x1F", "0b11", "0o7") that Number() also
 * accepts. Decimal text never has a letter in second place.
 */
function isDecimalText(text: string): boolean {
  if (text.length < 2) return true;
  const second = text.charCodeAt(1) | 0x20;
  return second !== 0x78 && second !== 0x62 && second !== 0x6f;
}

function toInteger(value: unknown): number | null {
  const number = toNumber(value, 'integer');
  if (number === null) return null;
  if (Number.isSafeInteger(number)) return number;
  throw failed(value, 'integer');
}

function toBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === '') return null;
    if (TRUE_TEXT.has(text)) return true;
    if (FALSE_TEXT.has(text)) return false;
  }
  throw failed(value, 'boolean');
}

function failed(value: unknown, target: string): FieldError {
  const article = target === 'integer' ? 'an' : 'a';
  const description = target === 'text' ? 'text' : `${article} ${target}`;
  return new FieldError('CONVERSION_FAILED', `The value ${quoteValue(value)} cannot be converted to ${description}.`);
}
