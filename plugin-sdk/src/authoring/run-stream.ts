import { readFile } from 'node:fs/promises';

import { AuthoringError, usageError } from './authoring-error.js';
import { chooseObjects, count, createCommandLogger, USER_AGENT, type CommandOutput } from './command-support.js';
import { readConnectionFile } from './connection-file.js';
import { displayPath, readConnectorFolder } from './connector-folder.js';
import { startCursorCheck, type CursorCheck } from './cursor-check.js';
import { writeJsonFile } from './fixture-files.js';
import { MappingSourceCheck } from './mapping-source-check.js';
import { loadPlatformRuntime, type PlatformHttpResponse } from './platform-runtime.js';
import { RecordingHttpClient } from './recording-http-client.js';
import type { RecordedExchange, SnapshotRecord, StreamMode } from './recording-format.js';
import { Redactor } from './redactor.js';
import { StreamSession } from './stream-session.js';

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
  /**
   * Source paths of the default mapping that were missing or null in every record read,
   * including a path equal to cursorField, which gets no warning of its own after the cursor warning.
   */
  emptySourcePaths: string[];
}

/**
 * Reads one stream from a live or simulated provider and prints each request (secrets
 * redacted), each response's status and size, and each mapped record. With `stateFile`,
 * starts from the state saved there and saves the state after the last page read.
 * Ends with a warning when no record read had a cursor at the object's
 * incremental.cursorField, one warning per mapping source path that no record had a value
 * at, and a line counting the records that had mapping errors.
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
  const sourceCheck = MappingSourceCheck.create(platform, folder.manifest, options.object);
  let incrementalSupported = true;
  try {
    await chooseObjects(session, [options.object]);
    cursorCheck = await startCursorCheck(session, options.object, startState);
    if (options.mode === 'incremental') incrementalSupported = await session.supportsIncremental(options.object);
    for await (const page of session.read(options.object, options.mode, startState)) {
      read += page.records.length;
      recordsWithMappingErrors += page.records.filter((record) => (record.errors ?? []).length > 0).length;
      state = page.state;
      cursorCheck?.countPage(page);
      await sourceCheck?.countPage(page);
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
    if (!stopped) cursorCheck?.finish();
  } catch (error) {
    if (error instanceof AuthoringError) throw error;
    throw new AuthoringError('RUN_FAILED', `Reading "${options.object}" (${options.mode}) failed after ${count(read, 'record')}: ${(error as Error).message}`, { cause: error });
  } finally {
    await session.close();
  }

  options.out('');
  if (stopped) {
    options.out(`Stopped after ${count(printed, 'record')} (--limit ${options.limit}); the stream may have more.`);
  } else {
    const mode = describeRunMode({ object: options.object, requested: options.mode, finalState: state, startState, incrementalSupported, stateFile: options.stateFile });
    options.out(`Read ${count(read, 'record')} of "${options.object}" (${mode}) with ${count(requests, 'request')}.`);
  }
  if (options.stateFile && state !== null) {
    await writeJsonFile(options.stateFile, state);
    options.out(`Saved the stream state to ${displayPath(options.stateFile)}; --mode incremental with the same --state continues from it.`);
  }

  const cursorWarning = cursorCheck?.warning();
  if (cursorWarning !== undefined) options.out(cursorWarning);
  // The cursor warning already names cursorField when it is missing from every record.
  const cursorField = cursorWarning === undefined ? undefined : folder.manifest.objects[options.object]?.incremental?.cursorField;
  for (const warning of sourceCheck?.warnings(cursorField) ?? []) options.out(warning);
  if (recordsWithMappingErrors > 0) {
    options.out(
      `Mapping errors in ${count(recordsWithMappingErrors, 'record')} of the ${read} read: the "mapping error at" lines under the printed records ` +
        'name each target and problem; fix those rules of the default mapping in manifest.json.',
    );
  }
  return { records: read, printed, requests, recordsWithMappingErrors, missingCursor: cursorWarning !== undefined, emptySourcePaths: sourceCheck?.emptyPaths ?? [] };
}

/**
 * Returns the mode the summary line names. An incremental request runs in full when the
 * object has no incremental sync, when the state file contains no cursor of the object, or
 * when it continues an unfinished full run saved there. The returned text then names the reason.
 */
function describeRunMode(run: {
  object: string;
  requested: StreamMode;
  finalState: object | null;
  startState: object | null;
  incrementalSupported: boolean;
  stateFile: string | undefined;
}): string {
  const ranMode = (run.finalState as { mode?: unknown } | null)?.mode;
  if (run.requested !== 'incremental' || ranMode !== 'full') return run.requested;

  if (!run.incrementalSupported) return 'full, because the object declares no incremental sync';
  if (run.stateFile === undefined) return 'full, because --mode incremental needs a cursor saved with --state';
  const file = displayPath(run.stateFile);
  const saved = run.startState as { object?: unknown; phase?: unknown } | null;
  // The runtime ignores a state saved for another object and starts a full run.
  if (saved !== null && saved.object !== run.object) return `full, because ${file} contains the state of ${JSON.stringify(saved.object)}`;
  if (saved !== null && saved.phase !== 'done') return `full, continuing the unfinished full run saved in ${file}`;
  return `full, because no cursor was saved in ${file} yet`;
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
