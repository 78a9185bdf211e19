import { LOCALES, useI18n, type Locale } from '../i18n/i18n.js';

export function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('language.label')}</span>
      <select value={locale} onChange={(event) => setLocale(event.target.value as Locale)} aria-label={t('language.label')} data-testid="language-switch">
        {LOCALES.map((option) => (
          <option key={option} value={option}>
            {t(option === 'pt-BR' ? 'language.ptBR' : 'language.en')}
          </option>
        ))}
      </select>
    </label>
  );
}
