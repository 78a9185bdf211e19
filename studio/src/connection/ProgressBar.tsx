import { useI18n } from '../i18n/i18n.js';

export function ProgressBar({ progress, eta }: { progress: { current: number; total: number | null; percentage: number | null }; eta: string | null }) {
  const { t, number, time, relative } = useI18n();
  const percentage = progress.percentage ?? null;
  return (
    <div className="progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percentage ?? undefined}
        aria-label={t('sync.progressLabel')}
      >
        <div className={`progress-fill${percentage === null ? ' indeterminate' : ''}`} style={{ width: `${percentage ?? 30}%` }} />
      </div>
      <p className="small">
        {progress.total === null
          ? t('sync.progressUnknownTotal', { current: number(progress.current) })
          : t('sync.progressOf', { current: number(progress.current), total: number(progress.total), percentage: number(percentage ?? 0, { maximumFractionDigits: 0 }) })}
        {eta && ` · ${t('sync.eta', { time: time(eta), relative: relative(eta) })}`}
      </p>
    </div>
  );
}
