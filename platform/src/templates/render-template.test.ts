import { describe, expect, it } from 'vitest';
import { LumioError } from '../errors/index.js';
import { compileTemplate } from './compile-template.js';
import { listTemplateVariables, renderPath, renderTemplate, renderValue } from './render-template.js';

function captureError(run: () => unknown): LumioError {
  try {
    run();
  } catch (error) {
    if (error instanceof LumioError) return error;
    throw error;
  }
  throw new Error('expected a LumioError');
}

describe('renderTemplate', () => {
  const scope = {
    config: { shop: 'acme', region: 'eu' },
    pageSize: 100,
    archived: false,
    cursor: null,
    filters: { status: ['open'] },
    items: [{ sku: 'A-1' }],
  };

  it('keeps number type for one placeholder', () => {
    expect(renderTemplate('{{ pageSize }}', scope)).toBe(100);
  });

  it('keeps boolean and object types', () => {
    expect(renderTemplate('{{archived}}', scope)).toBe(false);
    expect(renderTemplate('{{ filters }}', scope)).toEqual({ status: ['open'] });
  });

  it('keeps null for one placeholder', () => {
    expect(renderTemplate('{{ cursor }}', scope)).toBeNull();
  });

  it('interpolates values as text', () => {
    expect(renderTemplate('https://{{ config.shop }}.example.com/{{config.region}}?n={{ pageSize }}', scope)).toBe(
      'https://acme.example.com/eu?n=100',
    );
  });

  it('reads array elements by index', () => {
    expect(renderTemplate('{{ items.0.sku }}', scope)).toBe('A-1');
  });

  it('treats surrounding text as interpolation', () => {
    expect(renderTemplate(' {{ pageSize }}', scope)).toBe(' 100');
  });

  it('returns plain text unchanged', () => {
    expect(renderTemplate('no placeholders } { here', scope)).toBe('no placeholders } { here');
  });

  it('raises missing value with names', () => {
    const error = captureError(() => renderTemplate('/contacts/{{ id }}', scope));
    expect(error.code).toBe('TEMPLATE_VALUE_MISSING');
    expect(error.message).toContain('"id"');
    expect(error.message).toContain('/contacts/{{ id }}');
    expect(error.fault).toBe('connector');
  });

  it('blames caller for missing config', () => {
    const error = captureError(() => renderTemplate('{{ config.domain }}', scope));
    expect(error.code).toBe('TEMPLATE_VALUE_MISSING');
    expect(error.fault).toBe('caller');
    expect(error.message).toContain('config.domain');
  });

  it('raises missing for null inside text', () => {
    expect(captureError(() => renderTemplate('after={{ cursor }}', scope)).code).toBe('TEMPLATE_VALUE_MISSING');
  });

  it('rejects prototype segments', () => {
    for (const template of ['{{ __proto__ }}', '{{ config.constructor }}', '{{ a.prototype.b }}']) {
      const error = captureError(() => renderTemplate(template, scope));
      expect(error.code).toBe('TEMPLATE_INVALID');
    }
  });

  it('ignores inherited properties', () => {
    expect(captureError(() => renderTemplate('{{ config.toString }}', scope)).code).toBe('TEMPLATE_VALUE_MISSING');
    expect(captureError(() => renderTemplate('{{ items.length }}', scope)).code).toBe('TEMPLATE_VALUE_MISSING');
  });

  it('rejects expressions and filters', () => {
    for (const template of ['{{ a | upper }}', '{{ a() }}', '{{ a + 1 }}', '{{ a[0] }}', '{{ }}', '{{ a..b }}']) {
      expect(captureError(() => renderTemplate(template, scope)).code).toBe('TEMPLATE_INVALID');
    }
  });

  it('rejects an unclosed placeholder', () => {
    const error = captureError(() => renderTemplate('/x/{{ id', scope));
    expect(error.code).toBe('TEMPLATE_INVALID');
    expect(error.message).toContain('never closed');
  });
});

describe('compileTemplate', () => {
  it('caches by source string', () => {
    expect(compileTemplate('/a/{{ b }}')).toBe(compileTemplate('/a/{{ b }}'));
  });
});

describe('renderPath', () => {
  it('encodes interpolated segments', () => {
    expect(renderPath('/contacts/{{ id }}/notes', { id: 'a/b?c=d#e f' })).toBe('/contacts/a%2Fb%3Fc%3Dd%23e%20f/notes');
  });

  it('encodes a whole-placeholder path', () => {
    expect(renderPath('{{ id }}', { id: 42 })).toBe('42');
  });

  it('rejects dot segments', () => {
    for (const id of ['.', '..']) {
      expect(captureError(() => renderPath('/contacts/{{ id }}', { id })).code).toBe('TEMPLATE_VALUE_INVALID');
    }
  });
});

describe('renderValue', () => {
  it('renders strings deep inside a body', () => {
    const body = {
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GT', value: '{{ incremental.since }}' }] }],
      limit: '{{ pageSize }}',
      label: 'page {{ pageSize }}',
      fixed: 3,
    };
    const rendered = renderValue(body, { incremental: { since: 1700000000000 }, pageSize: 50 });
    expect(rendered).toEqual({
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GT', value: 1700000000000 }] }],
      limit: 50,
      label: 'page 50',
      fixed: 3,
    });
    expect(body.limit).toBe('{{ pageSize }}');
  });

  it('keeps a __proto__ key as data', () => {
    const body = JSON.parse('{"__proto__": {"polluted": "{{ x }}"}}') as unknown;
    const rendered = renderValue(body, { x: 'yes' }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(rendered)).toBe(Object.prototype);
    expect(Object.hasOwn(rendered, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('listTemplateVariables', () => {
  it('lists distinct paths in order', () => {
    expect(listTemplateVariables('{{ config.shop }}/{{id}}/{{ config.shop }}')).toEqual(['config.shop', 'id']);
  });

  it('lists nothing for plain text', () => {
    expect(listTemplateVariables('/contacts')).toEqual([]);
  });
});
