import type { I18n } from '../i18n/i18n.js';
import type { FieldCatalog } from './model/catalog.js';
import type { FieldRule, Scalar, Transform } from './model/definition.js';
import type { Issue } from './model/validate.js';

/** Returns the name of a transform kind: the catalogue's label for the locale, else the studio's. */
export function transformLabel(i18n: I18n, type: string, catalog: FieldCatalog | null): string {
  const fromCatalog = catalog?.transforms.find((spec) => spec.name === type)?.label?.[i18n.locale];
  return fromCatalog || i18n.tOr(`transform.${type}`, type);
}

/** Returns the name of a transform parameter: the catalogue's label for the locale, else the studio's. */
export function parameterLabel(i18n: I18n, transform: string, parameter: string, catalog?: FieldCatalog | null): string {
  const fromCatalog = specParameter(catalog, transform, parameter)?.label?.[i18n.locale];
  return fromCatalog || i18n.tOr(`param.${transform}.${parameter}`, i18n.tOr(`param.${parameter}`, parameter));
}

export function optionLabel(i18n: I18n, transform: string, parameter: string, value: string, catalog?: FieldCatalog | null): string {
  const fromCatalog = specParameter(catalog, transform, parameter)?.optionLabels?.[value]?.[i18n.locale];
  if (fromCatalog) return fromCatalog;
  if (transform === 'lookup' && parameter === 'canonicalObject') return i18n.tOr(`canonicalObject.${value}`, value);
  return i18n.tOr(`option.${value}`, value);
}

function specParameter(catalog: FieldCatalog | null | undefined, transform: string, parameter: string) {
  return catalog?.transforms.find((spec) => spec.name === transform)?.parameters.find((candidate) => candidate.name === parameter);
}

export function typeLabel(i18n: I18n, type: string | null): string {
  return i18n.tOr(`type.${type ?? 'unknown'}`, type ?? i18n.t('type.unknown'));
}

export function scalarText(i18n: I18n, value: Scalar): string {
  if (value === null) return i18n.t('scalar.nullValue');
  if (typeof value === 'string') return `“${value}”`;
  if (typeof value === 'boolean') return value ? i18n.t('scalar.true') : i18n.t('scalar.false');
  return i18n.number(value);
}

/** Describes in a short line what a configured transform does, for display under its name. */
export function transformSummary(i18n: I18n, transform: Transform, catalog?: FieldCatalog | null): string {
  const { t } = i18n;
  const option = (parameter: string, value: string | undefined) => (value === undefined ? '?' : optionLabel(i18n, transform.type, parameter, value, catalog));
  switch (transform.type) {
    case 'date': {
      const formats = `${option('from', transform.from)} → ${option('to', transform.to)}`;
      return transform.timeZone ? `${formats} · ${transform.timeZone}` : formats;
    }
    case 'case':
      return option('to', transform.to);
    case 'convert':
      return `→ ${option('to', transform.to)}`;
    case 'default':
      return t('summary.default', { value: scalarText(i18n, transform.value ?? null) });
    case 'valueMap':
      return t('summary.valueMap', { count: i18n.number(Object.keys(transform.map ?? {}).length) });
    case 'concat':
      return t('summary.separator', { separator: transform.separator ?? ' ' });
    case 'split':
      return transform.index === undefined
        ? t('summary.separator', { separator: transform.separator ?? '' })
        : t('summary.splitIndex', { separator: transform.separator ?? '', index: i18n.number(transform.index) });
    case 'lookup':
      return transform.field ? `${i18n.tOr(`canonicalObject.${transform.canonicalObject}`, transform.canonicalObject)} · ${transform.field}` : i18n.tOr(`canonicalObject.${transform.canonicalObject}`, transform.canonicalObject);
    default:
      return '';
  }
}

/** Writes an issue as one sentence, with type and parameter names translated. */
export function issueMessage(i18n: I18n, issue: Issue, catalog?: FieldCatalog | null): string {
  const params: Record<string, string> = { ...issue.params };
  if (params.produced) params.produced = issue.code === 'formatMismatch' ? i18n.tOr(`format.${params.produced}`, params.produced) : typeLabel(i18n, params.produced);
  if (params.expected) params.expected = issue.code === 'formatMismatch' ? i18n.tOr(`format.${params.expected}`, params.expected) : typeLabel(i18n, params.expected);
  if (params.parameter && params.transform) params.parameter = parameterLabel(i18n, params.transform, params.parameter, catalog);
  return i18n.tOr(`issue.${issue.code}`, issue.code, params);
}

/** A rule in words, for the version comparison: "properties.email → Trim → email". */
export function ruleSummary(i18n: I18n, rule: FieldRule, catalog: FieldCatalog | null): string {
  const input = rule.source ?? (rule.sources ? rule.sources.join(' + ') : scalarText(i18n, rule.constant ?? null));
  const steps = (rule.transforms ?? []).map((transform) => {
    const summary = transformSummary(i18n, transform, catalog);
    return summary ? `${transformLabel(i18n, transform.type, catalog)} (${summary})` : transformLabel(i18n, transform.type, catalog);
  });
  return [input, ...steps, rule.target].join(' → ');
}
