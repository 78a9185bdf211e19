import { useState, type FormEvent } from 'react';

import { ApiError, type ApiClient } from '../api/client.js';
import type { Session } from '../api/types.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { useI18n } from '../i18n/i18n.js';

export function SignInPage({ api, expired, onSignedIn }: { api: ApiClient; expired: boolean; onSignedIn(session: Session): void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.post<Session>('/v1/session', { email, password }));
    } catch (caught) {
      if (caught instanceof ApiError && (caught.status === 401 || caught.code === 'LOGIN_FAILED')) setError(t('signIn.failed'));
      else if (caught instanceof ApiError && caught.status === 429) setError(t('signIn.tooMany'));
      else if (caught instanceof ApiError) setError(t('error.api', { detail: caught.detail }));
      else setError(t('error.network'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sign-in">
      <form className="sign-in-card" onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title">
        <div className="sign-in-header">
          <span className="brand">{t('app.title')}</span>
          <LanguageSwitch />
        </div>
        <h1 id="sign-in-title">{t('signIn.title')}</h1>
        <p className="muted">{t('signIn.subtitle')}</p>
        {expired && <p className="notice">{t('signIn.expired')}</p>}
        <label>
          {t('signIn.email')}
          <input type="email" name="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
        </label>
        <label>
          {t('signIn.password')}
          <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('signIn.busy') : t('signIn.submit')}
        </button>
      </form>
    </div>
  );
}
