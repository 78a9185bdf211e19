import { ReactFlowProvider } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import { ApiError, segment } from '../api/client.js';
import type { IntegrationSummary, MappingPreview, MappingVersion } from '../api/types.js';
import { navigate, routePath } from '../app/router.js';
import { useStudio } from '../app/session.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useLoad } from '../components/use-api.js';
import { useI18n } from '../i18n/i18n.js';
import { connectionTitle } from '../integrations/labels.js';
import { MappingCanvas } from './canvas/MappingCanvas.js';
import { MappingToolbar } from './MappingToolbar.js';
import type { FieldCatalog } from './model/catalog.js';
import { hasBlockingIssues, validateGraph, type Issue } from './model/validate.js';
import { HistoryPanel } from './panel/HistoryPanel.js';
import { PropertiesPanel } from './panel/PropertiesPanel.js';
import { PreviewTable } from './PreviewTable.js';
import { SaveDialog } from './SaveDialog.js';
import { serverIssues } from './server-issues.js';
import { useValueAfterPaint } from './use-after-paint.js';
import { useMappingEditor } from './use-mapping-editor.js';

const PREVIEW_DELAY_MS = 500;

export function MappingPage({ id, object }: { id: string; object: string }) {
  return (
    <ReactFlowProvider>
      <MappingEditorPage id={id} object={object} />
    </ReactFlowProvider>
  );
}

function MappingEditorPage({ id, object }: { id: string; object: string }) {
  const i18n = useI18n();
  const { t, tOr } = i18n;
  const { api, canWrite } = useStudio();
  const base = `/v1/integrations/${segment(id)}/field-mappings`;
  const catalog = useLoad(() => api.get<FieldCatalog>(`${base}/${segment(object)}/catalog`), [api, base, object]);
  const active = useLoad(() => api.get<MappingVersion>(`${base}/${segment(object)}`), [api, base, object]);
  const connection = useLoad(() => api.get<IntegrationSummary>(`/v1/integrations/${segment(id)}`), [api, id]);
  const editor = useMappingEditor(catalog.data);
  const [search, setSearch] = useState('');
  const [tab, setTab] = useState<'properties' | 'history'>('properties');
  const [pendingSource, setPendingSource] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [saveOpen, setSaveOpen] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [conflict, setConflict] = useState(false);
  const [rejectedIssues, setRejectedIssues] = useState<Issue[]>([]);
  const [revision, setRevision] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const readOnly = !canWrite;

  // The draft starts from the active version once both it and the catalogue are loaded.
  // Only a version newly read from the API replaces the draft, not a re-render after a save.
  const { load } = editor;
  const loadedFrom = useRef<MappingVersion | null>(null);
  useEffect(() => {
    if (active.data && catalog.data && loadedFrom.current !== active.data) {
      loadedFrom.current = active.data;
      load({ definition: active.data.definition, version: active.data.version });
    }
  }, [active.data, catalog.data, load]);

  const issues = useMemo(() => {
    if (!editor.graph) return [];
    return [...validateGraph(editor.graph, catalog.data), ...rejectedIssues];
  }, [editor.graph, catalog.data, rejectedIssues]);
  const blocked = editor.graph ? hasBlockingIssues(editor.graph, issues) || (editor.conversion?.broken.length ?? 0) > 0 : true;

  const preview = usePreview(base, object, editor.conversion?.definition ?? null, blocked);

  const undoRedo = useCallback(
    (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable)) return;
      const key = event.key.toLowerCase();
      if ((event.ctrlKey || event.metaKey) && key === 'z') {
        event.preventDefault();
        if (readOnly) return;
        if (event.shiftKey) editor.redo();
        else editor.undo();
      } else if ((event.ctrlKey || event.metaKey) && key === 'y') {
        event.preventDefault();
        if (!readOnly) editor.redo();
      } else if ((key === 'delete' || key === 'backspace') && editor.selection && !readOnly) {
        event.preventDefault();
        editor.deleteSelection();
      }
    },
    [editor, readOnly],
  );
  useEffect(() => {
    window.addEventListener('keydown', undoRedo);
    return () => window.removeEventListener('keydown', undoRedo);
  }, [undoRedo]);

  // The browser asks for confirmation before a page with unsaved changes is left.
  useEffect(() => {
    if (!editor.dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [editor.dirty]);

  const save = async (comment: string) => {
    if (!editor.conversion || !editor.saved) return;
    setSaveError(null);
    setConflict(false);
    try {
      const body: Record<string, unknown> = { definition: editor.conversion.definition, baseVersion: editor.saved.version };
      if (comment.trim()) body.comment = comment.trim();
      const created = await api.put<MappingVersion>(`${base}/${segment(object)}`, body);
      editor.markSaved({ definition: created.definition, version: created.version });
      setRejectedIssues([]);
      setSaveOpen(false);
      setRevision((value) => value + 1);
      setNotice(`${t('save.saved', { version: created.version })} ${t('save.recordsHint')}`);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 409) {
        setConflict(true);
        setSaveOpen(false);
      } else if (caught instanceof ApiError && caught.problems.length > 0 && editor.graph) {
        setRejectedIssues(serverIssues(editor.graph, caught.problems, editor.conversion.definition.fields));
        setSaveError(caught);
      } else {
        setSaveError(caught);
      }
    }
  };

  const reloadLatest = () => {
    setConflict(false);
    active.reload();
    setRevision((value) => value + 1);
  };

  const restored = (version: MappingVersion) => {
    editor.load({ definition: version.definition, version: version.version });
    setRevision((value) => value + 1);
    setNotice(t('history.restored', { version: version.version }));
  };

  // The preview table takes a new column only after the canvas has drawn the edit, because
  // with many rules the table costs more to render than the edit itself.
  const columns = useMemo(() => (editor.conversion?.definition.fields ?? []).map((rule) => rule.target), [editor.conversion]);
  const tableColumns = useValueAfterPaint(columns);
  const connectionPath = routePath({ page: 'connection', id, tab: 'overview' });

  return (
    <section className="mapping-page" aria-labelledby="mapping-title">
      <div className="mapping-header">
        <p className="breadcrumb">
          <a
            href={connectionPath}
            onClick={(event) => {
              event.preventDefault();
              navigate(connectionPath);
            }}
            data-testid="mapping-breadcrumb"
          >
            {connection.data ? connectionTitle(i18n, connection.data) : connection.error ? id : t('common.loading')}
          </a>
        </p>
        <h1 id="mapping-title">
          {t('mapping.title', { object, canonical: tOr(`canonicalObject.${active.data?.canonicalObject ?? ''}`, active.data?.canonicalObject ?? '') })}
        </h1>
        <span className="muted small" data-testid="mapping-version">
          {editor.saved ? t('mapping.basedOn', { version: editor.saved.version }) : ''}
          {editor.dirty ? ` · ${t('mapping.unsaved')}` : ''}
        </span>
      </div>
      <ErrorNotice error={catalog.error ?? active.error} />
      {readOnly && <p className="notice">{t('readOnly.banner')}</p>}
      {conflict && (
        <div className="error" role="alert" data-testid="save-conflict">
          {t('save.conflict')}{' '}
          <button type="button" onClick={reloadLatest}>
            {t('save.reload')}
          </button>
        </div>
      )}
      {notice && (
        <p className="notice" role="status" data-testid="mapping-notice">
          {notice}
        </p>
      )}
      <MappingToolbar
        editor={editor}
        readOnly={readOnly}
        search={search}
        onSearch={setSearch}
        blocked={blocked}
        onSave={() => {
          setNotice(null);
          setSaveOpen(true);
        }}
      />
      <div className="mapping-body">
        <MappingCanvas
          editor={editor}
          catalog={catalog.data}
          issues={issues}
          search={search}
          readOnly={readOnly}
          pendingSource={pendingSource}
          onPendingSource={setPendingSource}
          onAnnounce={setAnnouncement}
        />
        <aside className="side-panel" aria-label={t('panel.label')}>
          <div className="tabs" role="tablist">
            <button type="button" role="tab" aria-selected={tab === 'properties'} onClick={() => setTab('properties')}>
              {t('panel.properties')}
            </button>
            <button type="button" role="tab" aria-selected={tab === 'history'} onClick={() => setTab('history')} data-testid="history-tab">
              {t('panel.history')}
            </button>
          </div>
          {tab === 'properties' ? (
            <PropertiesPanel
              editor={editor}
              catalog={catalog.data}
              issues={issues}
              readOnly={readOnly}
              readOnlyReason={t('readOnly.write')}
              pendingSource={pendingSource}
              onPendingSource={setPendingSource}
            />
          ) : (
            <HistoryPanel id={id} object={object} catalog={catalog.data} revision={revision} onRestored={restored} />
          )}
        </aside>
      </div>
      <PreviewTable preview={preview.data} error={preview.error} loading={preview.loading} columns={tableColumns} blocked={blocked} />
      <p className="visually-hidden" aria-live="assertive">
        {announcement || (editor.rejection ? tOr(`rejection.${editor.rejection}`, editor.rejection) : '')}
      </p>
      {saveOpen && <SaveDialog error={saveError} onCancel={() => setSaveOpen(false)} onSave={save} />}
    </section>
  );
}

/** Posts the draft to the preview endpoint a short while after the last change. */
function usePreview(base: string, object: string, definition: unknown, blocked: boolean) {
  const { api } = useStudio();
  const [state, setState] = useState<{ data: MappingPreview | null; error: unknown; loading: boolean }>({ data: null, error: null, loading: false });
  const body = useMemo(() => JSON.stringify({ object, definition, limit: 20 }), [object, definition]);

  useEffect(() => {
    if (!definition || blocked) return;
    let cancelled = false;
    setState((current) => ({ ...current, loading: true }));
    const timer = window.setTimeout(() => {
      api
        .post<MappingPreview>(`${base}/preview`, JSON.parse(body))
        .then((data) => !cancelled && setState({ data, error: null, loading: false }))
        .catch((error: unknown) => !cancelled && setState((current) => ({ ...current, error, loading: false })));
    }, PREVIEW_DELAY_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [api, base, body, blocked, definition]);

  return state;
}
