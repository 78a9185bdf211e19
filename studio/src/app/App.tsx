import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import { ApiClient } from '../api/client.js';
import type { Session } from '../api/types.js';
import { TopBar } from '../components/TopBar.js';
import { ConnectionPage } from '../connection/ConnectionPage.js';
import { useI18n } from '../i18n/i18n.js';
import { IntegrationsPage } from '../integrations/IntegrationsPage.js';
import { MappingPage } from '../mapping/MappingPage.js';
import { SignInPage } from './SignInPage.js';
import { parseRoute, useLocation } from './router.js';
import { permissionsOf, SessionContext, type StudioContext } from './session.js';

type SessionState = { kind: 'loading' } | { kind: 'signedOut'; expired: boolean } | { kind: 'signedIn'; session: Session };

export function App() {
  const { t, locale } = useI18n();
  const location = useLocation();
  const [state, setState] = useState<SessionState>({ kind: 'loading' });
  const localeRef = useRef(locale);
  localeRef.current = locale;

  const api = useMemo(
    () =>
      new ApiClient({
        locale: () => localeRef.current,
        onUnauthorized: () => setState((current) => ({ kind: 'signedOut', expired: current.kind === 'signedIn' })),
      }),
    [],
  );

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  useEffect(() => {
    let cancelled = false;
    api
      .get<Session>('/v1/session')
      .then((session) => {
        if (cancelled) return;
        api.setCsrfToken(session.csrfToken);
        setState({ kind: 'signedIn', session });
      })
      .catch(() => {
        if (!cancelled) setState({ kind: 'signedOut', expired: false });
      });
    return () => {
      cancelled = true;
    };
  }, [api]);

  const signedIn = useCallback(
    (session: Session) => {
      api.setCsrfToken(session.csrfToken);
      setState({ kind: 'signedIn', session });
    },
    [api],
  );

  const signOut = useCallback(() => {
    api
      .delete('/v1/session')
      .catch(() => undefined)
      .finally(() => {
        api.setCsrfToken(null);
        setState({ kind: 'signedOut', expired: false });
      });
  }, [api]);

  const context = useMemo<StudioContext | null>(
    () => (state.kind === 'signedIn' ? { api, session: state.session, ...permissionsOf(state.session), signOut } : null),
    [api, state, signOut],
  );

  useEffect(() => {
    document.title = t('app.title');
  }, [t]);

  if (state.kind === 'loading') return <div className="page-loading">{t('common.loading')}</div>;
  if (state.kind === 'signedOut' || !context) return <SignInPage api={api} expired={state.kind === 'signedOut' && state.expired} onSignedIn={signedIn} />;

  const route = parseRoute(location.pathname);
  return (
    <SessionContext.Provider value={context}>
      <div className="app">
        <TopBar />
        <main className="app-main">
          {route.page === 'integrations' && <IntegrationsPage />}
          {route.page === 'connection' && <ConnectionPage key={route.id} id={route.id} tab={route.tab} search={location.search} />}
          {route.page === 'mapping' && <MappingPage key={`${route.id}/${route.object}`} id={route.id} object={route.object} />}
          {route.page === 'notFound' && (
            <section className="page">
              <h1>{t('notFound.title')}</h1>
              <p>{t('notFound.body')}</p>
            </section>
          )}
        </main>
      </div>
    </SessionContext.Provider>
  );
}
