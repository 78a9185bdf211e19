import { useState } from 'react';

import { navigate, routePath } from '../app/router.js';
import { useStudio } from '../app/session.js';
import type { IntegrationSummary } from '../api/types.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { GuardedButton } from '../components/GuardedButton.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useLoad } from '../components/use-api.js';
import { useI18n } from '../i18n/i18n.js';
import { ConnectDialog } from './ConnectDialog.js';
import { categoryLabel } from './labels.js';

export function IntegrationsPage() {
  const i18n = useI18n();
  const { t, dateTime, relative } = i18n;
  const { api, canConnect } = useStudio();
  const list = useLoad(() => api.get<{ integrations: IntegrationSummary[] }>('/v1/integrations'), [api], 15_000);
  const [connecting, setConnecting] = useState<IntegrationSummary | null>(null);

  const integrations = list.data?.integrations ?? [];
  return (
    <section className="page" aria-labelledby="integrations-title">
      <div className="page-header">
        <h1 id="integrations-title">{t('integrations.title')}</h1>
        <p className="muted">{t('integrations.subtitle')}</p>
      </div>
      <ErrorNotice error={list.error} />
      {list.loading && !list.data && <p className="muted">{t('common.loading')}</p>}
      {list.data && integrations.length === 0 && <p className="muted">{t('integrations.empty')}</p>}
      <ul className="integration-grid">
        {integrations.map((integration) => {
          const key = integration.connectionId ?? integration.id;
          const connected = integration.connectionId !== undefined;
          const open = routePath({ page: 'connection', id: key, tab: 'overview' });
          return (
            <li key={key} className="integration-card" data-testid={`integration-${integration.id}`}>
              <div className="integration-card-head">
                <h2>{integration.connectionName && integration.connectionName !== integration.name ? `${integration.name} · ${integration.connectionName}` : integration.name}</h2>
                {integration.category && <span className="muted small">{t('integrations.category', { category: categoryLabel(i18n, integration.category) })}</span>}
              </div>
              <dl className="facts">
                <div>
                  <dt>{t('integrations.status')}</dt>
                  <dd>
                    <StatusBadge value={integration.status} />
                  </dd>
                </div>
                <div>
                  <dt>{t('integrations.health')}</dt>
                  <dd>
                    <StatusBadge value={integration.health} />
                  </dd>
                </div>
                <div>
                  <dt>{t('integrations.lastSync')}</dt>
                  <dd title={integration.lastSync ? dateTime(integration.lastSync) : undefined}>{integration.lastSync ? relative(integration.lastSync) : t('integrations.never')}</dd>
                </div>
              </dl>
              <div className="actions">
                {connected && (
                  <a
                    className="button"
                    href={open}
                    onClick={(event) => {
                      event.preventDefault();
                      navigate(open);
                    }}
                  >
                    {t('integrations.open')}
                  </a>
                )}
                {integration.status !== 'unavailable' && (
                  <GuardedButton allowed={canConnect} reason={t('readOnly.connect')} className={connected ? '' : 'primary'} onClick={() => setConnecting(integration)}>
                    {connected ? t('integrations.reconnect') : t('integrations.connect')}
                  </GuardedButton>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      {connecting && (
        <ConnectDialog
          integration={connecting}
          onClose={() => setConnecting(null)}
          onConnected={() => {
            setConnecting(null);
            list.reload();
          }}
        />
      )}
    </section>
  );
}
