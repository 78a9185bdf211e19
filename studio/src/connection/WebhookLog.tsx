import { useState } from 'react';

import { useStudio } from '../app/session.js';
import { segment } from '../api/client.js';
import type { WebhookEvent, WebhookLogs } from '../api/types.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { GuardedButton } from '../components/GuardedButton.js';
import { JsonView } from '../components/JsonView.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useLoad } from '../components/use-api.js';
import { useI18n } from '../i18n/i18n.js';

const STATUSES = ['', 'received', 'processing', 'processed', 'ignored', 'failed', 'dead'];

/** Renders the webhook events a connection received, one event's payload, and a replay button. */
export function WebhookLog({ id }: { id: string }) {
  const { t, tOr, dateTime, number } = useI18n();
  const { api, canWrite } = useStudio();
  const base = `/v1/integrations/${segment(id)}/webhooks`;
  const [status, setStatus] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const query = new URLSearchParams({ limit: '50' });
  if (status) query.set('status', status);
  const logs = useLoad(() => api.get<WebhookLogs>(`${base}/logs?${query}`), [api, base, status], 5000);
  const event = useLoad(() => (selected ? api.get<WebhookEvent>(`${base}/events/${segment(selected)}`) : Promise.resolve(null)), [api, base, selected]);
  const [replayError, setReplayError] = useState<unknown>(null);
  const [replayed, setReplayed] = useState<string | null>(null);

  const replay = async (eventId: string) => {
    setReplayError(null);
    setReplayed(null);
    try {
      await api.post(`${base}/${segment(eventId)}/replay`);
      setReplayed(eventId);
      logs.reload();
      event.reload();
    } catch (caught) {
      setReplayError(caught);
    }
  };

  return (
    <div className="webhook-layout">
      <section className="panel" aria-labelledby="webhooks-title" data-testid="webhook-log">
        <div className="toolbar-row">
          <h2 id="webhooks-title">{t('webhooks.title')}</h2>
          <label>
            {t('webhooks.filter')}
            <select value={status} onChange={(changeEvent) => setStatus(changeEvent.target.value)}>
              {STATUSES.map((value) => (
                <option key={value} value={value}>
                  {value ? tOr(`status.${value}`, value) : t('webhooks.allStatuses')}
                </option>
              ))}
            </select>
          </label>
        </div>
        {logs.data && (
          <p className="muted small">
            {Object.entries(logs.data.counts)
              .map(([key, count]) => `${tOr(`status.${key}`, key)}: ${number(count)}`)
              .join(' · ')}
          </p>
        )}
        <ErrorNotice error={logs.error} />
        {logs.data && logs.data.events.length === 0 && <p className="muted">{t('webhooks.empty')}</p>}
        {logs.data && logs.data.events.length > 0 && (
          <div className="table-scroll">
          <table className="events">
            <thead>
              <tr>
                <th>{t('webhooks.received')}</th>
                <th>{t('webhooks.type')}</th>
                <th>{t('webhooks.status')}</th>
                <th>{t('webhooks.attempts')}</th>
              </tr>
            </thead>
            <tbody>
              {logs.data.events.map((item) => (
                <tr key={item.id} className={item.id === selected ? 'selected' : undefined}>
                  <td>
                    <button type="button" className="link" onClick={() => setSelected(item.id)} data-testid="webhook-event">
                      {dateTime(item.receivedAt)}
                    </button>
                  </td>
                  <td>{item.eventType ?? t('common.none')}</td>
                  <td>
                    <StatusBadge value={item.status} />
                  </td>
                  <td>{number(item.attempts)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        )}
      </section>
      <section className="panel" aria-labelledby="event-title" data-testid="webhook-event-view">
        <h2 id="event-title">{t('webhooks.eventTitle')}</h2>
        {!selected && <p className="muted">{t('webhooks.pickEvent')}</p>}
        <ErrorNotice error={event.error ?? replayError} />
        {event.data && (
          <>
            <dl className="facts">
              <div>
                <dt>{t('webhooks.status')}</dt>
                <dd>
                  <StatusBadge value={event.data.status} />
                </dd>
              </div>
              <div>
                <dt>{t('webhooks.type')}</dt>
                <dd>{event.data.eventType ?? t('common.none')}</dd>
              </div>
              <div>
                <dt>{t('webhooks.providerEventId')}</dt>
                <dd>{event.data.providerEventId ?? t('common.none')}</dd>
              </div>
              <div>
                <dt>{t('webhooks.processed')}</dt>
                <dd>{dateTime(event.data.processedAt)}</dd>
              </div>
            </dl>
            {event.data.error && (
              <p className="error">
                {event.data.error.code}: {event.data.error.message}
              </p>
            )}
            <GuardedButton allowed={canWrite} reason={t('readOnly.write')} disabled={event.data.status === 'processing'} onClick={() => void replay(event.data?.id ?? '')}>
              {t('webhooks.replay')}
            </GuardedButton>
            {replayed === event.data.id && <p className="notice">{t('webhooks.replayed')}</p>}
            <h3>{t('webhooks.payload')}</h3>
            <p className="muted small">{t('webhooks.redacted')}</p>
            <JsonView value={event.data.payload} label={t('webhooks.payload')} />
          </>
        )}
      </section>
    </div>
  );
}
