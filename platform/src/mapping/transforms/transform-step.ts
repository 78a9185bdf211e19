import type { DefaultMapping } from '../../runtime/manifest-types.js';

/** A value-to-value transform, compiled once per mapping. */
export interface ValueStep {
  kind: 'value';
  type: string;
  /** Receives a non-null value (or null when `acceptsNull`); throws `FieldError` for bad input. */
  apply(value: unknown): unknown;
  /** True for `default`, the only transform that runs on null. */
  acceptsNull: boolean;
  /** True for `concat`, which joins an array instead of running once per element. */
  wholeArray: boolean;
}

/** A `lookup` transform; the mapper resolves these in batches per page. */
export interface LookupStep {
  kind: 'lookup';
  canonicalObject: DefaultMapping['canonicalObject'];
  field: string | undefined;
}

export type TransformStep = ValueStep | LookupStep;

/** A bad value in one field. The mapper records it on that field instead of failing the page. */
export class FieldError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'FieldError';
  }
}

/**
 * Runs a value step. Null skips the step (except `default`); an array runs the step
 * on each element, except for `concat`.
 */
export function runValueStep(step: ValueStep, value: unknown): unknown {
  if (value === null || value === undefined) return step.acceptsNull ? step.apply(null) : null;
  if (Array.isArray(value) && !step.wholeArray) {
    return value.map((element: unknown) => {
      if (element === null || element === undefined) return step.acceptsNull ? step.apply(null) : null;
      return step.apply(element);
    });
  }
  return step.apply(value);
}

/** Quotes a value for a field error message, cut to 60 characters. */
export function quoteValue(value: unknown): string {
  const text = typeof value === 'string' || typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

export function valueStep(
  type: string,
  apply: (value: unknown) => unknown,
  flags: { acceptsNull?: boolean; wholeArray?: boolean } = {},
): ValueStep {
  return { kind: 'value', type, apply, acceptsNull: flags.acceptsNull ?? false, wholeArray: flags.wholeArray ?? false };
}
