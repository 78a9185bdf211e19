import { useId } from 'react';

import { useI18n } from '../../i18n/i18n.js';
import type { Scalar } from '../model/definition.js';

type ScalarKind = 'string' | 'number' | 'boolean' | 'null';

function kindOf(value: Scalar): ScalarKind {
  if (value === null) return 'null';
  return typeof value as ScalarKind;
}

/** Edits a text, number, true/false or empty (null) value, with its kind chosen first. */
export function ScalarInput({ value, onChange, disabled, label }: { value: Scalar; onChange(value: Scalar): void; disabled: boolean; label: string }) {
  const { t } = useI18n();
  const id = useId();
  const kind = kindOf(value);

  const changeKind = (next: ScalarKind) => {
    if (next === 'null') onChange(null);
    else if (next === 'boolean') onChange(true);
    else if (next === 'number') onChange(typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : 0);
    else onChange(value === null ? '' : String(value));
  };

  return (
    <div className="scalar-input" role="group" aria-labelledby={`${id}-label`}>
      <span id={`${id}-label`} className="field-label">
        {label}
      </span>
      <div className="scalar-row">
        <select value={kind} disabled={disabled} onChange={(event) => changeKind(event.target.value as ScalarKind)} aria-label={t('scalar.kind')}>
          <option value="string">{t('scalar.string')}</option>
          <option value="number">{t('scalar.number')}</option>
          <option value="boolean">{t('scalar.boolean')}</option>
          <option value="null">{t('scalar.null')}</option>
        </select>
        {kind === 'string' && <input value={value as string} disabled={disabled} aria-label={label} onChange={(event) => onChange(event.target.value)} />}
        {kind === 'number' && (
          <input
            type="number"
            value={String(value)}
            disabled={disabled}
            aria-label={label}
            onChange={(event) => event.target.value !== '' && Number.isFinite(Number(event.target.value)) && onChange(Number(event.target.value))}
          />
        )}
        {kind === 'boolean' && (
          <select value={String(value)} disabled={disabled} aria-label={label} onChange={(event) => onChange(event.target.value === 'true')}>
            <option value="true">{t('scalar.true')}</option>
            <option value="false">{t('scalar.false')}</option>
          </select>
        )}
      </div>
    </div>
  );
}
