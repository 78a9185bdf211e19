import { useI18n } from '../../i18n/i18n.js';
import type { Scalar } from '../model/definition.js';
import { ScalarInput } from './ScalarInput.js';

/** Edits a value map's table: each row an input text and the value written for it. */
export function ValueMapEditor({ map, onChange, disabled }: { map: Record<string, Scalar>; onChange(map: Record<string, Scalar>): void; disabled: boolean }) {
  const { t } = useI18n();
  const entries = Object.entries(map);

  const replace = (index: number, key: string, value: Scalar) => {
    const next = entries.map((entry, position): [string, Scalar] => (position === index ? [key, value] : entry));
    onChange(Object.fromEntries(next));
  };
  const remove = (index: number) => onChange(Object.fromEntries(entries.filter((_entry, position) => position !== index)));
  const add = () => {
    let key = '';
    for (let n = 1; Object.hasOwn(map, key); n += 1) key = t('valueMap.newKey', { n });
    onChange({ ...map, [key]: '' });
  };

  return (
    <div className="value-map">
      <span className="field-label">{t('valueMap.title')}</span>
      {entries.length === 0 && <p className="muted small">{t('valueMap.empty')}</p>}
      <ol>
        {entries.map(([key, value], index) => (
          <li key={index} className="value-map-row">
            <label>
              {t('valueMap.from')}
              <input value={key} disabled={disabled} onChange={(event) => !Object.hasOwn(map, event.target.value) && replace(index, event.target.value, value)} />
            </label>
            <ScalarInput label={t('valueMap.to')} value={value} disabled={disabled} onChange={(next) => replace(index, key, next)} />
            <button type="button" disabled={disabled} onClick={() => remove(index)} aria-label={t('valueMap.removeRow', { value: key })}>
              {t('common.remove')}
            </button>
          </li>
        ))}
      </ol>
      <button type="button" disabled={disabled} onClick={add}>
        {t('valueMap.addRow')}
      </button>
    </div>
  );
}
