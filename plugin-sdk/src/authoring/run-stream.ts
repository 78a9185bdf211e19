import { readFile } from 'node:fs/promises';

import { AuthoringError, usageError } from './authoring-error.js';
import { chooseObjects, count, createCommandLogger, USER_AGENT, type CommandOutput } from './command-support.js';
import { readConnectionFile } from './connection-file.js';
import { displayPath, readConnectorFolder } from './connector-folder.js';
import { writeJsonFile } from './fixture-files.js';
import { loadPlatformRuntime, type PlatformHttpResponse } from './platform-runtime.js';
import { RecordingHttpClient } from './recording-http-client.js';
import type { RecordedExchange, SnapshotRecord, StreamMode } from './recording-format.js';
import { Redactor } from './redactor.js';
import { StreamSession, type MappedPage } from './stream-session.js';

export interface RunOptions {
  /** Connector folder. */
  directory: string;
  /** JSON file with the connection's config and credentials. */
  connectionFile: string;
  object: string;
  mode: StreamMode;
  /** Records to print before stopping; 0 reads the whole stream. */
  limit: number;
  /** File the stream state is read from and saved to, so incremental runs continue. */
  stateFile?: string;
  /** Print records as the plugin returns them, before the default mapping. */
  raw: boolean;
  /** Level of the platform's log on standard error. */
  logLevel: string;
  out: CommandOutput;
}

/** Counts of one `run`, for its exit status. */
export interface RunSummary {
  /** Records read, including records of the last page that --limit did not print. */
  records: number;
  printed: number;
  requests: number;
  /** Records read whose default mapping reported at least one error. */
  recordsWithMappingErrors: number;
  /** Whether the run read records from which the runtime could take no incremental cursor. */
  missingCursor: boolean;
}

/**
 * Reads one stream from a live or simulated provider and prints each request (secrets
 * redacted), each response's status and size, and each mapped record. With `stateFile`,
 * starts from the state saved there and saves the state after the last page read.
 * Ends with a warning when no record read had a cursor at the object's
 * incremental.cursorField, and with a line counting the records that had mapping errors.
 */
export async function runStream(options: RunOptions): Promise<RunSummary> {
  const folder = await readConnectorFolder(options.directory);
  const connection = await readConnectionFile(options.connectionFile);
  const startState = options.stateFile ? await readStateFile(options.stateFile) : null;
  const platform = await loadPlatformRuntime();
  const logger = createCommandLogger(platform, options.logLevel);
  const config = platform.checkConnectionConfig(folder.manifest, connection.config);

  // The redactor only hides secrets in the printed request lines; records print as read.
  const redactor = new Redactor({ credentials: connection.credentials, sensitiveNames: folder.manifest.auth.flatMap((method) => (method.type === 'apiKey' ? [method.name] : [])) });
  let requests = 0;
  const printExchange = (exchange: RecordedExchange, response: PlatformHttpResponse) => {
    requests += 1;
    const bytes = Buffer.byteLength(response.rawBody, 'utf8');
    options.out(`${exchange.request.method} ${redactor.redactUrl(exchange.request.url)} -> ${response.status} (${count(bytes, 'byte')}, ${Math.round(response.durationMs)} ms)`);
  };
  const http = new RecordingHttpClient(platform.createHttpClient({ allowPrivateNetwork: true, userAgent: USER_AGENT, logger }), { onExchange: printExchange, keepExchanges: false });

  let session: StreamSession;
  try {
    session = await StreamSession.open({ platform, folder, http, config, credentials: connection.credentials, ...(connection.authMethod === undefined ? {} : { authMethod: connection.authMethod }), logger });
  } catch (error) {
    await http.close();
    throw error;
  }

  let printed = 0;
  let read = 0;
  let recordsWithMappingErrors = 0;
  let state: object | null = startState;
  let stopped = false;
  let cursorCheck: CursorCheck | undefined;
  try {
    await chooseObjects(session, [options.object]);
    cursorCheck = await startCursorCheck(session, options.object, startState);
    for await (const page of session.read(options.object, options.mode, startState)) {
      read += page.records.length;
      recordsWithMappingErrors += page.records.filter((record) => (record.errors ?? []).length > 0).length;
      state = page.state;
      cursorCheck?.countPage(page);
      const deleted = page.records.length > 0 && page.records.every((record) => record.deleted);
      options.out(`${page.phase}: ${count(page.records.length, deleted ? 'deleted record' : 'record')}`);

      const printable = options.limit > 0 ? page.records.slice(0, options.limit - printed) : page.records;
      printable.forEach((record, index) => printRecord(options.out, record, options.raw ? page.raw[index] : undefined));
      printed += printable.length;
      if (options.limit > 0 && printed >= options.limit) {
        stopped = true;
        break;
      }
    }
  } catch (error) {
    if (error instanceof AuthoringError) throw error;
    throw new AuthoringError('RUN_FAILED', `Reading "${options.object}" (${options.mode}) failed after ${count(read, 'record')}: ${(error as Error).message}`, { cause: error });
  } finally {
    await session.close();
  }

  options.out('');
  options.out(stopped ? `Stopped after ${count(printed, 'record')} (--limit ${options.limit}); the stream may have more.` : `Read ${count(read, 'record')} of "${options.object}" (${options.mode}) with ${count(requests, 'request')}.`);
  if (options.stateFile && state !== null) {
    await writeJsonFile(options.stateFile, state);
    options.out(`Saved the stream state to ${displayPath(options.stateFile)}; --mode incremental with the same --state continues from it.`);
  }

  const missingCursor = cursorCheck?.foundNoCursor(state) ?? false;
  if (missingCursor && cursorCheck) options.out(cursorCheck.warning());
  if (recordsWithMappingErrors > 0) {
    options.out(
      `Mapping errors in ${count(recordsWithMappingErrors, 'record')} of the ${read} read: the "mapping error at" lines under the printed records ` +
        'name each target and problem; fix those rules of the default mapping in manifest.json.',
    );
  }
  return { records: read, printed, requests, recordsWithMappingErrors, missingCursor };
}

/** Tracks whether any record of a run carries a value at the object's incremental cursor field. */
interface CursorCheck {
  countPage(page: MappedPage): void;
  /** Returns whether records were read but none gave the runtime a cursor, judged with the final stream state. */
  foundNoCursor(finalState: object | null): boolean;
  warning(): string;
}

/**
 * Starts the cursor check of a run, or returns undefined when the object declares no
 * incremental sync or the plugin's readStream hook reads it (the plugin keeps its own cursor).
 */
async function startCursorCheck(session: StreamSession, object: string, startState: object | null): Promise<CursorCheck | undefined> {
  const incremental = session.manifest.objects[object]?.incremental;
  if (incremental === undefined || (await session.pluginReadsObject(object))) return undefined;
  const { cursorField, cursorFormat } = incremental;
  const startCursor = readStateCursor(startState);
  let tracked = 0;
  let withValue = 0;

  return {
    countPage(page) {
      // The runtime takes no cursor from the records of the listDeleted phase.
      if (page.phase === 'listDeleted') return;
      tracked += page.raw.length;
      withValue += page.raw.filter((record) => hasValue(readValuePath(record, cursorField))).length;
    },
    foundNoCursor(finalState) {
      if (tracked === 0) return false;
      const finalCursor = readStateCursor(finalState);
      // The runtime reads the cursor before a plugin's transformPage hook, while page.raw contains
      // the records after it, so the state tells whether the runtime itself found a cursor.
      if (finalCursor === null) return true;
      return withValue === 0 && finalCursor === startCursor;
    },
    warning() {
      return (
        `warning: none of the ${count(tracked, 'record')} read gave a cursor at incremental.cursorField "${cursorField}" of "${object}", ` +
        'so the runtime saves no new cursor and every incremental run will re-read every record. ' +
        `Check that cursorField is the dot path of the modification time in the printed records (run with --raw to see them) and that cursorFormat "${cursorFormat}" matches its values.`
      );
    },
  };
}

function hasValue(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** Returns the `cursor` of a stream state saved by the platform's runtime, as JSON text, or null when it has none. */
function readStateCursor(state: object | null): string | null {
  const cursor = (state as { cursor?: unknown } | null)?.cursor;
  return cursor === undefined || cursor === null ? null : JSON.stringify(cursor);
}

/**
 * Reads a dot path ("properties.updated", "versions.0.at") as the platform's runtime reads
 * cursor fields: own properties of objects and integer indexes of arrays.
 */
function readValuePath(value: unknown, path: string): unknown {
  let current = value;
  for (const segment of path.split('.')) {
    if (Array.isArray(current)) {
      current = /^(?:0|[1-9]\d*)$/.test(segment) ? current[Number(segment)] : undefined;
    } else if (typeof current === 'object' && current !== null && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return current;
}

function printRecord(out: CommandOutput, record: SnapshotRecord, raw: unknown): void {
  const deleted = record.deleted ? ' (deleted)' : '';
  out(`  ${record.externalId}${deleted} ${JSON.stringify(raw === undefined ? record.data : raw)}`);
  for (const error of record.errors ?? []) out(`    mapping error at ${error.target}: ${error.message}`);
}

async function readStateFile(path: string): Promise<object | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw usageError('STATE_FILE_UNREADABLE', `The state file ${path} cannot be read (${(error as Error).message}).`, error);
  }

  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
  } catch {
    // Reported below, with the same advice as for a value that is not an object.
  }
  throw usageError('STATE_FILE_INVALID', `The state file ${path} does not hold a stream state saved by \`lumio-connector run --state\`; delete it to start from nothing.`);
}
