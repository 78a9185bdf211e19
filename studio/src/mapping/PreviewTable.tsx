import { memo } from 'react';

import type { MappingPreview } from '../api/types.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useI18n } from '../i18n/i18n.js';

export interface PreviewProps {
  preview: MappingPreview | null;
  error: unknown;
  loading: boolean;
  /** Canonical fields the draft writes, in rule order; they are the table's columns. */
  columns: string[];
  blocked: boolean;
}

/** Sample records mapped with the draft, with cells that differ from the active version marked. */
export function PreviewTable({ preview, error, loading, columns, blocked }: PreviewProps) {
  const { t } = useI18n();
  const samples = preview?.samples ?? EMPTY;

  const previewStatus = (): string => {
    if (blocked) return t('preview.blocked');
    if (loading) return t('preview.updating');
    if (!preview) return '';
    return t(preview.sampleSource === 'provider' ? 'preview.fromProvider' : 'preview.fromRecords', { count: samples.length });
  };

  return (
    <section className="preview" aria-labelledby="preview-title" data-testid="mapping-preview">
      <div className="toolbar-row">
        <h2 id="preview-title">{t('preview.title')}</h2>
        <span className="muted small" aria-live="polite">
          {previewStatus()}
        </span>
      </div>
      <ErrorNotice error={error} />
      {preview && samples.length === 0 && <p className="muted">{t('preview.empty')}</p>}
      {samples.length > 0 && <PreviewGrid samples={samples} columns={columns} />}
    </section>
  );
}

type Sample = MappingPreview['samples'][number];
const EMPTY: Sample[] = [];

/**
 * The table of mapped samples. It is memoized apart from the status line, because a wide
 * mapping makes a table of a thousand cells and the status changes on every edit.
 */
const PreviewGrid = memo(function PreviewGrid({ samples, columns }: { samples: Sample[]; columns: string[] }) {
  const { t } = useI18n();

  // Changed fields first, so a change is visible without scrolling sideways.
  const changed = new Set(samples.flatMap((sample) => sample.changedFields));
  const ordered = [...columns.filter((column) => isChanged(changed, column)), ...columns.filter((column) => !isChanged(changed, column))];

  return (
    <div className="preview-scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('preview.externalId')}</th>
            {ordered.map((column) => (
              <th key={column} scope="col" className={isChanged(changed, column) ? 'changed' : undefined}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {samples.map((sample) => {
            const sampleChanged = new Set(sample.changedFields);
            return (
              <tr key={sample.externalId}>
                <th scope="row">{sample.externalId}</th>
                {ordered.map((column) => {
                  const error = sample.errors.find((entry) => entry.field === column);
                  const cellChanged = isChanged(sampleChanged, column);
                  const before = display(readPath(sample.current, column));
                  return (
                    <td
                      key={column}
                      className={[cellChanged ? 'changed' : '', error ? 'cell-error' : ''].filter(Boolean).join(' ') || undefined}
                      title={error ? error.message : cellChanged ? t('preview.before', { value: before }) : undefined}
                      data-column={column}
                      data-changed={cellChanged ? 'true' : undefined}
                    >
                      {error ? error.message : display(readPath(sample.draft, column))}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
});

function isChanged(changed: Set<string>, column: string): boolean {
  if (changed.has(column)) return true;
  for (const field of changed) if (column.startsWith(`${field}.`) || field.startsWith(`${column}.`)) return true;
  return false;
}

/** Reads "address.city" or "items[].sku" from a mapped record. */
function readPath(record: unknown, path: string): unknown {
  let value: unknown = record;
  for (const part of path.split('.')) {
    const key = part.replace(/\[\]$/, '');
    if (Array.isArray(value)) value = value.map((item) => (item && typeof item === 'object' ? (item as Record<string, unknown>)[key] : undefined));
    else value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

function display(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
