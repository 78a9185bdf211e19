import { useI18n } from '../i18n/i18n.js';

const TONES: Record<string, string> = {
  connected: 'good',
  healthy: 'good',
  succeeded: 'good',
  processed: 'good',
  closed: 'good',
  syncing: 'busy',
  running: 'busy',
  queued: 'busy',
  processing: 'busy',
  received: 'busy',
  halfOpen: 'warn',
  'half-open': 'warn',
  degraded: 'warn',
  ignored: 'muted',
  idle: 'muted',
  not_connected: 'muted',
  disconnected: 'muted',
  cancelled: 'muted',
  unknown: 'muted',
  error: 'bad',
  failed: 'bad',
  dead: 'bad',
  open: 'bad',
  unhealthy: 'bad',
  unavailable: 'bad',
};

/** A coloured label for a status value, translated when the catalogue knows it. */
export function StatusBadge({ value, testId }: { value: string | null | undefined; testId?: string }) {
  const { t, tOr } = useI18n();
  if (value === null || value === undefined) return <span className="badge muted">{t('common.none')}</span>;
  return (
    <span className={`badge ${TONES[value] ?? 'muted'}`} data-testid={testId} data-status={value}>
      {tOr(`status.${value}`, value)}
    </span>
  );
}
