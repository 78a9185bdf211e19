import { describe, expect, it } from 'vitest';

import { en } from '../../studio/src/i18n/messages-en.js';
import { ptBR } from '../../studio/src/i18n/messages-pt-BR.js';

const PLACEHOLDER = /\{(\w+)\}/g;

function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] as string).sort();
}

describe('studio message catalogues', () => {
  it('have the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ptBR).sort());
  });

  it('have no empty message', () => {
    const empty = [...Object.entries(ptBR).map(([key, text]) => ['pt-BR', key, text]), ...Object.entries(en).map(([key, text]) => ['en', key, text])].filter(([, , text]) => (text as string).trim() === '');
    expect(empty).toEqual([]);
  });

  it('use the same placeholders', () => {
    const mismatched = Object.keys(ptBR).filter((key) => JSON.stringify(placeholders(ptBR[key as keyof typeof ptBR])) !== JSON.stringify(placeholders(en[key as keyof typeof en])));
    expect(mismatched).toEqual([]);
  });

  it('translate most messages', () => {
    // Names (Lumio Studio, English, Webhooks) may read the same in both languages, but a
    // catalogue copied without translating would show here.
    const same = Object.keys(ptBR).filter((key) => ptBR[key as keyof typeof ptBR] === en[key as keyof typeof en]);
    expect(same.length).toBeLessThan(Object.keys(ptBR).length * 0.05);
  });
});
