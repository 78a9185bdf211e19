import { navigate, routePath } from '../app/router.js';
import { useStudio } from '../app/session.js';
import { useI18n } from '../i18n/i18n.js';
import { LanguageSwitch } from './LanguageSwitch.js';

export function TopBar() {
  const { t, tOr } = useI18n();
  const { session, signOut } = useStudio();
  const home = routePath({ page: 'integrations' });

  return (
    <header className="top-bar">
      <a
        className="brand"
        href={home}
        onClick={(event) => {
          event.preventDefault();
          navigate(home);
        }}
      >
        {t('app.title')}
      </a>
      <nav aria-label={t('nav.label')}>
        <a
          href={home}
          onClick={(event) => {
            event.preventDefault();
            navigate(home);
          }}
        >
          {t('nav.integrations')}
        </a>
      </nav>
      <div className="top-bar-user">
        <span className="user-name" title={session.user.email}>
          {session.user.name || session.user.email}
        </span>
        <span className="role-badge" data-testid="user-role">
          {tOr(`role.${session.user.role}`, session.user.role)}
        </span>
        <LanguageSwitch />
        <button type="button" onClick={signOut}>
          {t('nav.signOut')}
        </button>
      </div>
    </header>
  );
}
