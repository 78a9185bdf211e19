import { useState, type FormEvent } from 'react';

import { segment } from '../api/client.js';
import type { IntegrationSummary } from '../api/types.js';
import { useStudio } from '../app/session.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useI18n } from '../i18n/i18n.js';

interface ConnectResponse {
  status?: string;
  authorizationUrl?: string;
  connectionId?: string;
}

/**
 * Connects an integration: with a token or API key posted as credentials, or through the
 * provider's OAuth consent page, to which the browser is sent when the platform returns an
 * `authorizationUrl`.
 */
export function ConnectDialog({ integration, onClose, onConnected }: { integration: IntegrationSummary; onClose(): void; onConnected(): void }) {
  const { t } = useI18n();
  const { api } = useStudio();
  const [secret, setSecret] = useState('');
  const [credentialName, setCredentialName] = useState('accessToken');
  const [baseUrl, setBaseUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const target = integration.connectionId ?? integration.id;

  const send = async (body: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      const response = await api.post<ConnectResponse>(`/v1/integrations/${segment(target)}/connect`, body);
      if (response.authorizationUrl) {
        window.location.assign(response.authorizationUrl);
        return;
      }
      onConnected();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const submitKey = (event: FormEvent) => {
    event.preventDefault();
    const body: Record<string, unknown> = { credentials: { [credentialName.trim() || 'accessToken']: secret } };
    if (baseUrl.trim()) body.config = { baseUrl: baseUrl.trim() };
    void send(body);
  };

  return (
    <div className="dialog-backdrop" role="presentation" onKeyDown={(event) => event.key === 'Escape' && onClose()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="connect-title">
        <h2 id="connect-title">{t('connect.title', { name: integration.name })}</h2>
        <section>
          <h3>{t('connect.oauthTitle')}</h3>
          <p className="muted">{t('connect.oauthHelp')}</p>
          <button type="button" className="primary" disabled={busy} onClick={() => void send({ authMethod: 'oauth2AuthorizationCode' })}>
            {t('connect.oauthButton')}
          </button>
        </section>
        <form onSubmit={submitKey}>
          <h3>{t('connect.keyTitle')}</h3>
          <p className="muted">{t('connect.keyHelp')}</p>
          <label>
            {t('connect.secret')}
            <input type="password" required autoComplete="off" value={secret} onChange={(event) => setSecret(event.target.value)} />
          </label>
          <details>
            <summary>{t('connect.advanced')}</summary>
            <label>
              {t('connect.credentialName')}
              <input value={credentialName} onChange={(event) => setCredentialName(event.target.value)} />
            </label>
            <label>
              {t('connect.baseUrl')}
              <input type="url" placeholder="https://" value={baseUrl} onChange={(event) => setBaseUrl(event.target.value)} />
            </label>
          </details>
          <ErrorNotice error={error} />
          <div className="actions">
            <button type="button" onClick={onClose}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="primary" disabled={busy || secret === ''}>
              {busy ? t('common.working') : t('connect.submit')}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
