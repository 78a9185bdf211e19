import { ApiError } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';

/** Shows an API or network error as a sentence; a missing endpoint is named as such. */
export function ErrorNotice({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (error === null || error === undefined) return null;
  let text: string;
  if (error instanceof ApiError && error.status === 404 && error.code === 'ROUTE_NOT_FOUND') text = t('error.endpointMissing', { detail: error.detail });
  else if (error instanceof ApiError && error.status === 403) text = t('error.forbidden', { detail: error.detail });
  else if (error instanceof ApiError) text = t('error.api', { detail: error.detail });
  else text = t('error.network');
  return (
    <p className="error" role="alert">
      {text}
    </p>
  );
}
