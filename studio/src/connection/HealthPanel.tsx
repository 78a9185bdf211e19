import type { Health } from '../api/types.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useI18n } from '../i18n/i18n.js';

/** Circuit breakers and rate-limit budgets of a connection, from GET .../health. */
export function HealthPanel({ health, error }: { health: Health | null; error: unknown }) {
  const { t, number, time } = useI18n();
  return (
    <section className="panel" aria-labelledby="health-title" data-testid="health-panel">
      <h2 id="health-title">{t('health.title')}</h2>
      <ErrorNotice error={error} />
      {health && (
        <>
          <h3>{t('health.breakers')}</h3>
          {health.circuitBreakers.length === 0 ? (
            <p className="muted">{t('health.noBreakers')}</p>
          ) : (
            <table className="compact">
              <thead>
                <tr>
                  <th>{t('health.group')}</th>
                  <th>{t('health.state')}</th>
                  <th>{t('health.failures')}</th>
                </tr>
              </thead>
              <tbody>
                {health.circuitBreakers.map((breaker) => (
                  <tr key={breaker.group}>
                    <td>{breaker.group}</td>
                    <td>
                      <StatusBadge value={breaker.state} />
                    </td>
                    <td>{number(breaker.failures)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>{t('health.rateLimits')}</h3>
          {health.rateLimits.length === 0 ? (
            <p className="muted">{t('health.noRateLimits')}</p>
          ) : (
            <table className="compact">
              <thead>
                <tr>
                  <th>{t('health.budget')}</th>
                  <th>{t('health.remaining')}</th>
                  <th>{t('health.paused')}</th>
                </tr>
              </thead>
              <tbody>
                {health.rateLimits.map((budget) => (
                  <tr key={budget.key}>
                    <td>{budget.budget}</td>
                    <td>{t('health.remainingOf', { remaining: number(budget.remaining), limit: number(budget.limit), seconds: number(budget.intervalMs / 1000) })}</td>
                    <td>{budget.pausedUntil ? t('health.pausedUntil', { time: time(budget.pausedUntil) }) : t('health.notPaused')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
