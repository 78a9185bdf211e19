import { FieldError, quoteValue, valueStep, type ValueStep } from './transform-step.js';

// Case changes use Brazilian Portuguese rules, the locale of Lumio's customers' data.
const LOCALE = 'pt-BR';

// Portuguese name particles stay lower case inside a title-cased name ("Maria da Silva").
const TITLE_PARTICLES = new Set(['da', 'das', 'de', 'do', 'dos', 'e']);

export function compileTrim(): ValueStep {
  return valueStep('trim', (value) => {
    if (typeof value === 'string') return value.trim();
    return passPrimitive('trim', value);
  });
}

export function compileCase(to: 'lower' | 'upper' | 'title'): ValueStep {
  const change =
    to === 'lower'
      ? (text: string) => text.toLocaleLowerCase(LOCALE)
      : to === 'upper'
        ? (text: string) => text.toLocaleUpperCase(LOCALE)
        : toTitleCase;
  return valueStep('case', (value) => (typeof value === 'string' ? change(value) : passPrimitive('case', value)));
}

/**
 * Capitalizes the first letter of each word and lower-cases the rest; words are split
 * at whitespace and hyphens. Portuguese particles after the first word stay lower case.
 */
export function toTitleCase(text: string): string {
  const lower = text.toLocaleLowerCase(LOCALE);
  let wordIndex = 0;
  return lower.replace(/[^\s-]+/gu, (word) => {
    const first = wordIndex === 0;
    wordIndex += 1;
    if (!first && TITLE_PARTICLES.has(word)) return word;
    const [initial = '', ...rest] = Array.from(word);
    return initial.toLocaleUpperCase(LOCALE) + rest.join('');
  });
}

export function compileSplit(separator: string, index: number | undefined): ValueStep {
  return valueStep('split', (value) => {
    const text = typeof value === 'string' ? value : String(passPrimitive('split', value));
    const parts = text.split(separator);
    if (index === undefined) return parts;
    // A negative index counts from the end: -1 is the last part.
    return parts.at(index) ?? null;
  });
}

export function compileConcat(separator: string, skipEmpty: boolean): ValueStep {
  return valueStep(
    'concat',
    (value) => {
      const parts = Array.isArray(value) ? value : [value];
      const texts: string[] = [];
      for (const part of parts) {
        const text = part === null || part === undefined ? '' : String(passPrimitive('concat', part));
        if (skipEmpty && text.trim() === '') continue;
        texts.push(text);
      }
      return skipEmpty && texts.length === 0 ? null : texts.join(separator);
    },
    { wholeArray: true },
  );
}

/** Returns numbers and booleans unchanged; objects and arrays raise a field error. */
function passPrimitive(type: string, value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  throw new FieldError('TYPE_MISMATCH', `The ${type} transform needs text, but the value is ${quoteValue(value)}.`);
}
