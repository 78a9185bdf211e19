import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

import { en } from './messages-en.js';
import { ptBR, type MessageKey } from './messages-pt-BR.js';

export type Locale = 'pt-BR' | 'en';
export const LOCALES: Locale[] = ['pt-BR', 'en'];
const STORAGE_KEY = 'lumio.studio.locale';

export const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { 'pt-BR': ptBR, en };

/** Fills `{name}` placeholders of a message. */
export function formatMessage(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

export interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  /** Returns the message for a key built at run time, or `fallback` when the catalogue has none. */
  tOr(key: string, fallback: string, params?: Record<string, string | number>): string;
  dateTime(iso: string | number | null | undefined): string;
  time(iso: string | number | null | undefined): string;
  number(value: number | null | undefined, options?: Intl.NumberFormatOptions): string;
  /** "há 5 minutos" / "in 2 minutes", relative to now. */
  relative(iso: string | number | null | undefined): string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLocale(): Locale {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored === 'pt-BR' || stored === 'en') return stored;
  } catch {
    // Storage may be blocked; the default language applies.
  }
  return 'pt-BR';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Without storage the choice lasts until the page reloads.
    }
  }, []);

  const value = useMemo<I18n>(() => {
    const catalogue = CATALOGUES[locale];
    const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' });
    const timeFormat = new Intl.DateTimeFormat(locale, { timeStyle: 'medium' });
    const relativeFormat = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    const toDate = (value: string | number) => new Date(value);
    const empty = catalogue['common.none'];

    return {
      locale,
      setLocale,
      t: (key, params) => formatMessage(catalogue[key], params),
      tOr: (key, fallback, params) => formatMessage(Object.hasOwn(catalogue, key) ? catalogue[key as MessageKey] : fallback, params),
      dateTime: (value) => (value === null || value === undefined ? empty : dateTimeFormat.format(toDate(value))),
      time: (value) => (value === null || value === undefined ? empty : timeFormat.format(toDate(value))),
      number: (value, options) => (value === null || value === undefined ? empty : new Intl.NumberFormat(locale, options).format(value)),
      relative: (value) => {
        if (value === null || value === undefined) return empty;
        const seconds = Math.round((toDate(value).getTime() - Date.now()) / 1000);
        const abs = Math.abs(seconds);
        if (abs < 60) return relativeFormat.format(seconds, 'second');
        if (abs < 3600) return relativeFormat.format(Math.round(seconds / 60), 'minute');
        if (abs < 86_400) return relativeFormat.format(Math.round(seconds / 3600), 'hour');
        return relativeFormat.format(Math.round(seconds / 86_400), 'day');
      },
    };
  }, [locale, setLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be called inside <I18nProvider>.');
  return value;
}

export type { MessageKey };
