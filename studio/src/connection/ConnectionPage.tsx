import { useCallback } from 'react';

import { navigate, routePath } from '../app/router.js';
import { useStudio } from '../app/session.js';
import { segment } from '../api/client.js';
import type { Health, IntegrationSummary } from '../api/types.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useLoad } from '../components/use-api.js';
import { useI18n } from '../i18n/i18n.js';
import { HealthPanel } from './HealthPanel.js';
import { MappingsList } from './MappingsList.js';
import { SyncPanel } from './SyncPanel.js';
import { WebhookLog } from './WebhookLog.js';

export function ConnectionPage({ id, tab, search }: { id: string; tab: 'overview' | 'webhooks'; search: string }) {
  const { t, dateTime } = useI18n();
  const { api } = useStudio();
  const connection = useLoad(() => api.get<IntegrationSummary>(`/v1/integrations/${segment(id)}`), [api, id]);
  const health = useLoad(() => api.get<Health>(`/v1/integrations/${segment(id)}/health`), [api, id], 10_000);
  const params = new URLSearchParams(search);

  // The header's last sync time and the health come from other endpoints than the sync
  // panel's, so they are read again when the panel detects a finished run.
  const { reload: reloadConnection } = connection;
  const { reload: reloadHealth } = health;
  const refreshAfterRun = useCallback(() => {
    reloadConnection();
    reloadHealth();
  }, [reloadConnection, reloadHealth]);

  const tabs = [
    { key: 'overview' as const, label: t('connection.tabOverview') },
    { key: 'webhooks' as const, label: t('connection.tabWebhooks') },
  ];
  const data = connection.data;

  return (
    <section className="page" aria-labelledby="connection-title">
      <div className="page-header">
        <p className="breadcrumb">
          <a
            href={routePath({ page: 'integrations' })}
            onClick={(event) => {
              event.preventDefault();
              navigate(routePath({ page: 'integrations' }));
            }}
          >
            {t('nav.integrations')}
          </a>
        </p>
        <h1 id="connection-title">{data ? data.name : id}</h1>
        {data && (
          <div className="header-facts">
            <StatusBadge value={data.status} testId="connection-status" />
            <StatusBadge value={health.data?.status ?? data.health} />
            <span className="muted">{t('connection.lastSyncAt', { when: dateTime(data.lastSync) })}</span>
          </div>
        )}
        {params.get('connected') === '1' && <p className="notice">{t('connection.connectedNotice')}</p>}
        {params.get('error') && <p className="error">{t('connection.connectError', { code: params.get('error') ?? '' })}</p>}
      </div>
      <ErrorNotice error={connection.error} />
      <div className="tabs" role="tablist">
        {tabs.map((entry) => (
          <a
            key={entry.key}
            role="tab"
            aria-selected={tab === entry.key}
            href={routePath({ page: 'connection', id, tab: entry.key })}
            onClick={(event) => {
              event.preventDefault();
              navigate(routePath({ page: 'connection', id, tab: entry.key }));
            }}
          >
            {entry.label}
          </a>
        ))}
      </div>
      {tab === 'overview' ? (
        <div className="connection-grid">
          <SyncPanel id={id} onRunFinished={refreshAfterRun} />
          <div className="side-column">
            <HealthPanel health={health.data} error={health.error} />
            <MappingsList id={id} />
          </div>
        </div>
      ) : (
        <WebhookLog id={id} />
      )}
    </section>
  );
}
