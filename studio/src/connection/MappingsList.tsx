import { navigate, routePath } from '../app/router.js';
import { useStudio } from '../app/session.js';
import { segment } from '../api/client.js';
import type { MappingObjects } from '../api/types.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useLoad } from '../components/use-api.js';
import { useI18n } from '../i18n/i18n.js';

/** The mapped objects of a connection, each with its active version and a link to the canvas. */
export function MappingsList({ id }: { id: string }) {
  const { t, tOr, dateTime } = useI18n();
  const { api } = useStudio();
  const mappings = useLoad(() => api.get<MappingObjects>(`/v1/integrations/${segment(id)}/field-mappings`), [api, id]);

  return (
    <section className="panel" aria-labelledby="mappings-title">
      <h2 id="mappings-title">{t('mappings.title')}</h2>
      <ErrorNotice error={mappings.error} />
      <ul className="plain-list">
        {(mappings.data?.objects ?? []).map((entry) => {
          const path = routePath({ page: 'mapping', id, object: entry.object });
          return (
            <li key={entry.object} className="mapping-entry">
              <a
                href={path}
                data-testid={`mapping-link-${entry.object}`}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(path);
                }}
              >
                {t('mappings.objectTo', { object: entry.object, canonical: tOr(`canonicalObject.${entry.canonicalObject}`, entry.canonicalObject) })}
              </a>
              <span className="muted small">
                {t('mappings.versionAt', { version: entry.version, when: dateTime(entry.active?.createdAt) })}
                {entry.isDefault ? ` · ${t('mappings.isDefault')}` : ''}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
