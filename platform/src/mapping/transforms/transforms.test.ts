import { describe, expect, it } from 'vitest';
import type { Transform } from '../../runtime/manifest-types.js';
import { compileTransform } from './compile-transform.js';
import { FieldError, runValueStep, type ValueStep } from './transform-step.js';

function compile(transform: Transform): ValueStep {
  const step = compileTransform(transform);
  if (typeof step === 'string' || step.kind !== 'value') throw new Error(`transform did not compile: ${String(step)}`);
  return step;
}

function run(transform: Transform, value: unknown): unknown {
  return runValueStep(compile(transform), value);
}

function fieldErrorCode(transform: Transform, value: unknown): string {
  try {
    run(transform, value);
  } catch (error) {
    if (error instanceof FieldError) return error.code;
    throw error;
  }
  throw new Error('expected a field error');
}

const SAO_PAULO = 'America/Sao_Paulo';

describe('trim', () => {
  it('trims text', () => {
    expect(run({ type: 'trim' }, '  Ana \n')).toBe('Ana');
  });

  it('passes numbers and null', () => {
    expect(run({ type: 'trim' }, 42)).toBe(42);
    expect(run({ type: 'trim' }, null)).toBeNull();
  });

  it('trims each array element', () => {
    expect(run({ type: 'trim' }, [' a ', null, 'b '])).toEqual(['a', null, 'b']);
  });

  it('rejects objects', () => {
    expect(fieldErrorCode({ type: 'trim' }, { a: 1 })).toBe('TYPE_MISMATCH');
  });
});

describe('case', () => {
  it('lowers Portuguese accents', () => {
    expect(run({ type: 'case', to: 'lower' }, 'ÁGUA')).toBe('água');
    expect(run({ type: 'case', to: 'lower' }, 'CORAÇÃO')).toBe('coração');
  });

  it('uppers Portuguese accents', () => {
    expect(run({ type: 'case', to: 'upper' }, 'ação')).toBe('AÇÃO');
  });

  it('title-cases names with particles', () => {
    expect(run({ type: 'case', to: 'title' }, 'MARIA DA SILVA')).toBe('Maria da Silva');
    expect(run({ type: 'case', to: 'title' }, 'josé-carlos de ávila e souza')).toBe('José-Carlos de Ávila e Souza');
    expect(run({ type: 'case', to: 'title' }, 'de souza')).toBe('De Souza');
  });

  it('rejects an unknown case', () => {
    expect(compileTransform({ type: 'case', to: 'snake' } as unknown as Transform)).toContain('"to"');
  });
});

describe('convert', () => {
  it('parses HubSpot number strings', () => {
    expect(run({ type: 'convert', to: 'number' }, '12.50')).toBe(12.5);
    expect(run({ type: 'convert', to: 'number' }, ' -3e2 ')).toBe(-300);
    expect(run({ type: 'convert', to: 'number' }, '')).toBeNull();
  });

  it('rejects non-numeric text', () => {
    for (const value of ['abc', '0x10', 'Infinity', '1,5', 'NaN']) {
      expect(fieldErrorCode({ type: 'convert', to: 'number' }, value)).toBe('CONVERSION_FAILED');
    }
  });

  it('converts integers strictly', () => {
    expect(run({ type: 'convert', to: 'integer' }, '12.0')).toBe(12);
    expect(run({ type: 'convert', to: 'integer' }, 7)).toBe(7);
    expect(fieldErrorCode({ type: 'convert', to: 'integer' }, '12.5')).toBe('CONVERSION_FAILED');
    expect(fieldErrorCode({ type: 'convert', to: 'integer' }, '99999999999999999999')).toBe('CONVERSION_FAILED');
  });

  it('parses boolean text', () => {
    expect(run({ type: 'convert', to: 'boolean' }, 'true')).toBe(true);
    expect(run({ type: 'convert', to: 'boolean' }, 'FALSE')).toBe(false);
    expect(run({ type: 'convert', to: 'boolean' }, '1')).toBe(true);
    expect(run({ type: 'convert', to: 'boolean' }, 0)).toBe(false);
    expect(run({ type: 'convert', to: 'boolean' }, '')).toBeNull();
    expect(fieldErrorCode({ type: 'convert', to: 'boolean' }, 'maybe')).toBe('CONVERSION_FAILED');
    expect(fieldErrorCode({ type: 'convert', to: 'boolean' }, 2)).toBe('CONVERSION_FAILED');
  });

  it('converts to text', () => {
    expect(run({ type: 'convert', to: 'string' }, 5)).toBe('5');
    expect(run({ type: 'convert', to: 'string' }, false)).toBe('false');
    expect(fieldErrorCode({ type: 'convert', to: 'string' }, { a: 1 })).toBe('CONVERSION_FAILED');
  });

  it('skips null', () => {
    expect(run({ type: 'convert', to: 'number' }, null)).toBeNull();
  });
});

describe('date', () => {
  it('converts ISO to epoch', () => {
    const expected = Date.UTC(2024, 2, 10, 12, 30, 0, 250);
    expect(run({ type: 'date', from: 'iso8601', to: 'epochMilliseconds' }, '2024-03-10T09:30:00.250-03:00')).toBe(expected);
    expect(run({ type: 'date', from: 'iso8601', to: 'epochSeconds' }, '2024-03-10T12:30:00.250Z')).toBe(Math.floor(expected / 1000));
  });

  it('converts epoch text to ISO', () => {
    expect(run({ type: 'date', from: 'epochMilliseconds', to: 'iso8601' }, '1700000000000')).toBe(
      new Date(1_700_000_000_000).toISOString(),
    );
    expect(run({ type: 'date', from: 'epochSeconds', to: 'iso8601' }, 1_700_000_000)).toBe(new Date(1_700_000_000_000).toISOString());
  });

  it('reads a date as midnight UTC', () => {
    expect(run({ type: 'date', from: 'date', to: 'iso8601' }, '2024-02-29')).toBe('2024-02-29T00:00:00.000Z');
  });

  it('formats São Paulo local time', () => {
    // 2024 has no DST in Brazil: UTC-3 all year.
    const transform: Transform = { type: 'date', from: 'iso8601', to: 'localDateTime', timeZone: SAO_PAULO };
    expect(run(transform, '2024-01-15T12:00:00Z')).toBe('2024-01-15T09:00:00');
    expect(run(transform, '2024-07-15T02:00:00.5Z')).toBe('2024-07-14T23:00:00.500');
  });

  it('handles the São Paulo DST start gap', () => {
    // On 2018-11-04 clocks jumped from 00:00 (UTC-3) to 01:00 (UTC-2), so midnight did not exist.
    expect(run({ type: 'date', from: 'date', to: 'iso8601', timeZone: SAO_PAULO }, '2018-11-04')).toBe('2018-11-04T03:00:00.000Z');
    expect(run({ type: 'date', from: 'iso8601', to: 'iso8601', timeZone: SAO_PAULO }, '2018-11-04T00:30:00')).toBe(
      '2018-11-04T03:30:00.000Z',
    );
    expect(run({ type: 'date', from: 'iso8601', to: 'iso8601', timeZone: SAO_PAULO }, '2018-11-04T01:00:00')).toBe(
      '2018-11-04T03:00:00.000Z',
    );
  });

  it('handles the São Paulo DST end overlap', () => {
    // On 2019-02-17 at 00:00 (UTC-2) clocks went back to 23:00 on the 16th (UTC-3): 23:30 happened twice.
    const toLocal: Transform = { type: 'date', from: 'iso8601', to: 'localDateTime', timeZone: SAO_PAULO };
    expect(run(toLocal, '2019-02-17T01:30:00Z')).toBe('2019-02-16T23:30:00');
    expect(run(toLocal, '2019-02-17T02:30:00Z')).toBe('2019-02-16T23:30:00');
    expect(run({ type: 'date', from: 'iso8601', to: 'iso8601', timeZone: SAO_PAULO }, '2019-02-16T23:30:00')).toBe(
      '2019-02-17T01:30:00.000Z',
    );
  });

  it('takes the São Paulo date', () => {
    const toDate: Transform = { type: 'date', from: 'iso8601', to: 'date', timeZone: SAO_PAULO };
    expect(run(toDate, '2018-11-04T02:59:59Z')).toBe('2018-11-03');
    expect(run(toDate, '2018-11-04T03:00:00Z')).toBe('2018-11-04');
  });

  it('rejects invalid dates', () => {
    expect(fieldErrorCode({ type: 'date', from: 'iso8601', to: 'iso8601' }, 'yesterday')).toBe('DATE_INVALID');
    expect(fieldErrorCode({ type: 'date', from: 'iso8601', to: 'iso8601' }, '2023-02-29T10:00:00Z')).toBe('DATE_INVALID');
    expect(fieldErrorCode({ type: 'date', from: 'iso8601', to: 'iso8601' }, '2024-01-01T25:00:00Z')).toBe('DATE_INVALID');
    expect(fieldErrorCode({ type: 'date', from: 'date', to: 'iso8601' }, '2024-13-01')).toBe('DATE_INVALID');
    expect(fieldErrorCode({ type: 'date', from: 'epochMilliseconds', to: 'iso8601' }, 'abc')).toBe('DATE_INVALID');
    expect(fieldErrorCode({ type: 'date', from: 'epochSeconds', to: 'iso8601' }, true)).toBe('DATE_INVALID');
  });

  it('requires a valid time zone', () => {
    expect(compileTransform({ type: 'date', from: 'iso8601', to: 'date', timeZone: 'Mars/Olympus' })).toContain('time zone');
    expect(compileTransform({ type: 'date', from: 'iso8601', to: 'localDateTime' })).toContain('timeZone');
  });
});

describe('default', () => {
  it('replaces null only', () => {
    expect(run({ type: 'default', value: 'n/a' }, null)).toBe('n/a');
    expect(run({ type: 'default', value: 'n/a' }, '')).toBe('');
    expect(run({ type: 'default', value: 0 }, 5)).toBe(5);
  });

  it('requires a value', () => {
    expect(compileTransform({ type: 'default' } as unknown as Transform)).toContain('"value"');
  });
});

describe('valueMap', () => {
  const map = { '1': 'active', open: 'active', closed: 'inactive', true: 'yes' };

  it('maps by text form', () => {
    expect(run({ type: 'valueMap', map }, 1)).toBe('active');
    expect(run({ type: 'valueMap', map }, true)).toBe('yes');
    expect(run({ type: 'valueMap', map }, 'closed')).toBe('inactive');
  });

  it('keeps or nulls unlisted values', () => {
    expect(run({ type: 'valueMap', map }, 'archived')).toBe('archived');
    expect(run({ type: 'valueMap', map, otherwise: 'null' }, 'archived')).toBeNull();
  });

  it('ignores inherited keys', () => {
    expect(run({ type: 'valueMap', map, otherwise: 'null' }, 'toString')).toBeNull();
  });

  it('requires a map', () => {
    expect(compileTransform({ type: 'valueMap' } as unknown as Transform)).toContain('"map"');
  });
});

describe('concat', () => {
  it('joins with a space by default', () => {
    expect(run({ type: 'concat' }, ['Ana', 'Souza'])).toBe('Ana Souza');
  });

  it('uses a separator', () => {
    expect(run({ type: 'concat', separator: ', ' }, ['Rua A', 10, null])).toBe('Rua A, 10, ');
  });

  it('skips empty parts', () => {
    expect(run({ type: 'concat', separator: ', ', skipEmpty: true }, ['Rua A', '', null, ' ', 'Centro'])).toBe('Rua A, Centro');
    expect(run({ type: 'concat', skipEmpty: true }, [null, ''])).toBeNull();
  });
});

describe('split', () => {
  it('returns every part', () => {
    expect(run({ type: 'split', separator: ';' }, 'a;b;c')).toEqual(['a', 'b', 'c']);
  });

  it('picks an index', () => {
    expect(run({ type: 'split', separator: ' ', index: 0 }, 'Ana Maria Souza')).toBe('Ana');
    expect(run({ type: 'split', separator: ' ', index: -1 }, 'Ana Maria Souza')).toBe('Souza');
    expect(run({ type: 'split', separator: ' ', index: 5 }, 'Ana')).toBeNull();
  });

  it('requires a separator', () => {
    expect(compileTransform({ type: 'split', separator: '' })).toContain('separator');
    expect(compileTransform({ type: 'split', separator: ',', index: 1.5 })).toContain('index');
  });
});

describe('lookup', () => {
  it('compiles to a lookup step', () => {
    expect(compileTransform({ type: 'lookup', canonicalObject: 'company', field: 'name' })).toEqual({
      kind: 'lookup',
      canonicalObject: 'company',
      field: 'name',
    });
  });

  it('requires a canonical object', () => {
    expect(compileTransform({ type: 'lookup', canonicalObject: 'planet' } as unknown as Transform)).toContain('canonicalObject');
  });
});

describe('unknown transform', () => {
  it('is reported', () => {
    expect(compileTransform({ type: 'eval' } as unknown as Transform)).toContain('unknown');
  });
});
