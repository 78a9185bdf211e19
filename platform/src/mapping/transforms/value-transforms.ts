import { valueStep, type ValueStep } from './transform-step.js';

type Scalar = string | number | boolean | null;

export function compileDefault(fallback: Scalar): ValueStep {
  return valueStep('default', (value) => value ?? fallback, { acceptsNull: true });
}

/**
 * Maps values through a table keyed by their text form ("1", "true", "open"). An
 * unlisted value is kept, or becomes null with `otherwise: "null"`.
 */
export function compileValueMap(map: Readonly<Record<string, Scalar>>, otherwise: 'keep' | 'null'): ValueStep {
  const table = new Map(Object.entries(map));
  return valueStep('valueMap', (value) => {
    const key = typeof value === 'string' ? value : String(value);
    if (table.has(key)) return table.get(key);
    return otherwise === 'null' ? null : value;
  });
}
