import { useState, type FormEvent } from 'react';

import { ErrorNotice } from '../components/ErrorNotice.js';
import { useI18n } from '../i18n/i18n.js';

/** Asks for an optional comment and saves the draft as a new version. */
export function SaveDialog({ error, onCancel, onSave }: { error: unknown; onCancel(): void; onSave(comment: string): Promise<void> }) {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await onSave(comment);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="dialog-backdrop" role="presentation" onKeyDown={(event) => event.key === 'Escape' && onCancel()}>
      <form className="dialog" role="dialog" aria-modal="true" aria-labelledby="save-title" onSubmit={(event) => void submit(event)}>
        <h2 id="save-title">{t('save.title')}</h2>
        <p className="muted">{t('save.help')}</p>
        <label>
          {t('save.comment')}
          <textarea value={comment} maxLength={500} rows={3} onChange={(event) => setComment(event.target.value)} autoFocus data-testid="save-comment" />
        </label>
        <ErrorNotice error={error} />
        <div className="actions">
          <button type="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy} data-testid="save-confirm">
            {busy ? t('common.working') : t('save.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
