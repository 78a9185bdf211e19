import { useId, useMemo } from 'react';

import { useI18n } from '../../i18n/i18n.js';
import { optionLabel, parameterLabel, transformLabel } from '../describe.js';
import type { FieldCatalog, TransformParameterSpec } from '../model/catalog.js';
import type { Scalar, Transform } from '../model/definition.js';
import { transformSpec } from '../model/transform-specs.js';
import { ScalarInput } from './ScalarInput.js';
import { ValueMapEditor } from './ValueMapEditor.js';

/** Optional text parameters that are removed when emptied, so their default applies. */
const DROP_WHEN_EMPTY = new Set(['timeZone', 'field', 'index']);

/** Edits the parameters of one transform, with a control suited to each. */
export function TransformEditor({ transform, catalog, disabled, onChange }: { transform: Transform; catalog: FieldCatalog | null; disabled: boolean; onChange(transform: Transform): void }) {
  const i18n = useI18n();
  const spec = transformSpec(transform.type, catalog);
  const values = transform as unknown as Record<string, unknown>;

  const set = (name: string, value: unknown) => {
    const next: Record<string, unknown> = { ...values };
    if (value === undefined) delete next[name];
    else next[name] = value;
    onChange(next as unknown as Transform);
  };

  return (
    <div className="transform-editor" data-testid="transform-editor">
      <h3>{transformLabel(i18n, transform.type, catalog)}</h3>
      <p className="muted small">{spec?.description?.[i18n.locale] || i18n.tOr(`transformHelp.${transform.type}`, '')}</p>
      {(spec?.parameters ?? []).map((parameter) => (
        <ParameterInput key={parameter.name} catalog={catalog} transform={transform.type} parameter={parameter} value={values[parameter.name]} disabled={disabled} onChange={(value) => set(parameter.name, value)} />
      ))}
    </div>
  );
}

function ParameterInput({ catalog, transform, parameter, value, disabled, onChange }: { catalog: FieldCatalog | null; transform: string; parameter: TransformParameterSpec; value: unknown; disabled: boolean; onChange(value: unknown): void }) {
  const i18n = useI18n();
  const id = useId();
  const label = parameterLabel(i18n, transform, parameter.name, catalog) + (parameter.required ? ' *' : '');
  const zones = useMemo(() => (parameter.type === 'timeZone' || parameter.name === 'timeZone' ? timeZones() : []), [parameter.type, parameter.name]);

  if (parameter.type === 'map' || (transform === 'valueMap' && parameter.name === 'map')) {
    return <ValueMapEditor map={(value ?? {}) as Record<string, Scalar>} disabled={disabled} onChange={onChange} />;
  }
  if (parameter.type === 'scalar' || (transform === 'default' && parameter.name === 'value')) {
    return <ScalarInput label={label} value={(value ?? null) as Scalar} disabled={disabled} onChange={onChange} />;
  }
  if (parameter.options && parameter.options.length > 0) {
    return (
      <label>
        {label}
        <select value={value === undefined ? '' : String(value)} disabled={disabled} onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)} data-param={parameter.name}>
          <option value="">{parameter.required ? i18n.t('param.choose') : i18n.t('param.defaultChoice')}</option>
          {parameter.options.map((option) => (
            <option key={String(option)} value={String(option)}>
              {optionLabel(i18n, transform, parameter.name, String(option), catalog)}
            </option>
          ))}
        </select>
      </label>
    );
  }
  if (parameter.type === 'boolean') {
    return (
      <label className="inline">
        <input type="checkbox" checked={value === true} disabled={disabled} onChange={(event) => onChange(event.target.checked)} data-param={parameter.name} />
        {label}
      </label>
    );
  }
  if (parameter.type === 'integer' || parameter.type === 'number') {
    return (
      <label>
        {label}
        <input
          type="number"
          step={parameter.type === 'integer' ? 1 : 'any'}
          value={typeof value === 'number' ? String(value) : ''}
          disabled={disabled}
          data-param={parameter.name}
          onChange={(event) => {
            const text = event.target.value;
            if (text === '') onChange(undefined);
            else if (Number.isFinite(Number(text))) onChange(parameter.type === 'integer' ? Math.trunc(Number(text)) : Number(text));
          }}
        />
      </label>
    );
  }
  return (
    <label>
      {label}
      <input
        value={typeof value === 'string' ? value : ''}
        disabled={disabled}
        list={zones.length > 0 ? `${id}-zones` : undefined}
        placeholder={zones.length > 0 ? i18n.t('param.timeZonePlaceholder') : undefined}
        data-param={parameter.name}
        onChange={(event) => onChange(event.target.value === '' && DROP_WHEN_EMPTY.has(parameter.name) ? undefined : event.target.value)}
      />
      {zones.length > 0 && (
        <datalist id={`${id}-zones`}>
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      )}
    </label>
  );
}

/** Lists the IANA time zone names the browser supports, America/Sao_Paulo first. */
function timeZones(): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['America/Sao_Paulo', 'UTC', ...all.filter((zone) => zone !== 'America/Sao_Paulo' && zone !== 'UTC')];
}
