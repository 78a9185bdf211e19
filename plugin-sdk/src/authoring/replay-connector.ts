import { AuthoringError } from './authoring-error.js';
import { count, createCommandLogger, type CommandOutput } from './command-support.js';
import { displayPath, readConnectorFolder, type ConnectorFolder } from './connector-folder.js';
import { listRecordings, readSnapshot, snapshotPath, writeJsonFile, type RecordingFile } from './fixture-files.js';
import { loadPlatformRuntime, type PlatformLogger, type PlatformRuntime } from './platform-runtime.js';
import { credentialPlaceholder, FIXTURE_FORMAT, FIXTURES_FOLDER, type Snapshot, type SnapshotRecord } from './recording-format.js';
import { ReplayHttpClient } from './replay-http-client.js';
import { diffSnapshots } from './snapshot-diff.js';
import { StreamSession } from './stream-session.js';

/** Difference lines shown per recording; the rest are counted. */
const MAX_DIFF_LINES = 20;

export interface ReplayOptions {
  /** Connector folder. */
  directory: string;
  /** Write the replays' results as the new snapshots instead of comparing. */
  update: boolean;
  /** Objects to replay; default every recorded object. */
  objects?: string[];
  /** Level of the platform's log on standard error. */
  logLevel: string;
  out: CommandOutput;
}

export interface ReplaySummary {
  passed: number;
  failed: number;
  updated: number;
}

type ReplayResult = { ok: true; snapshot: Snapshot; requests: number } | { ok: false; problems: string[] };

/**
 * Replays each recording through the platform's runtime with no network: the plugin
 * runs in the sandbox, the default mapping maps each page, and the result is compared
 * with `snapshots/<object>.<mode>.json` (or written there with `update`). A replay fails
 * when it sends a request the recording lacks, leaves recorded requests unsent, raises
 * an error, or maps records differently from the snapshot.
 */
export async function replayConnector(options: ReplayOptions): Promise<ReplaySummary> {
  const folder = await readConnectorFolder(options.directory);
  const recordings = await listRecordings(folder.directory, options.objects);
  if (recordings.length === 0) {
    const objectList = options.objects?.length ? ` of ${options.objects.map((object) => `"${object}"`).join(', ')}` : '';
    throw new AuthoringError(
      'FIXTURES_MISSING',
      `${displayPath(folder.directory)}/${FIXTURES_FOLDER} has no recordings${objectList}; record them with \`lumio-connector record ${displayPath(folder.directory)} --config <connection.json>\`.`,
    );
  }

  const platform = await loadPlatformRuntime();
  const logger = createCommandLogger(platform, options.logLevel);
  const summary: ReplaySummary = { passed: 0, failed: 0, updated: 0 };

  for (const file of recordings) {
    const { object, mode } = file.recording;
    const label = `${object} (${mode})`;
    const result = await replayRecording(platform, logger, folder, file);
    if (!result.ok) {
      summary.failed += 1;
      report(options.out, 'FAIL', `${label}: ${displayPath(file.path)}`, result.problems);
      continue;
    }

    const path = snapshotPath(folder.directory, object, mode);
    const described = `${count(result.snapshot.records.length, 'record')} from ${count(result.requests, 'recorded request')}`;
    if (options.update) {
      await writeJsonFile(path, result.snapshot);
      summary.updated += 1;
      options.out(`wrote ${label}: ${described} -> ${displayPath(path)}`);
      continue;
    }

    const problems = await compareWithSnapshot(path, result.snapshot);
    if (problems.length > 0) {
      summary.failed += 1;
      report(options.out, 'FAIL', `${label}: ${described} differ from ${displayPath(path)}`, problems);
    } else {
      summary.passed += 1;
      options.out(`ok   ${label}: ${described} match ${displayPath(path)}`);
    }
  }

  options.out('');
  options.out(describeSummary(recordings.length, summary, displayPath(folder.directory)));
  return summary;
}

async function replayRecording(platform: PlatformRuntime, logger: PlatformLogger, folder: ConnectorFolder, file: RecordingFile): Promise<ReplayResult> {
  const { recording } = file;
  if (recording.connector !== folder.manifest.id) {
    return { ok: false, problems: [`the fixture was recorded for the connector "${recording.connector}", not "${folder.manifest.id}"; record it again`] };
  }

  const replay = new ReplayHttpClient(recording.exchanges);
  const credentials = Object.fromEntries(recording.connection.credentialFields.map((field) => [field, credentialPlaceholder(field)]));
  const records: SnapshotRecord[] = [];
  let state = recording.startState;
  let session: StreamSession | undefined;
  try {
    session = await StreamSession.open({ platform, folder, http: replay, config: recording.connection.config, credentials, authMethod: recording.connection.authMethod, logger });
    for await (const page of session.read(recording.object, recording.mode, recording.startState)) {
      records.push(...page.records);
      state = page.state;
    }
  } catch (error) {
    const problems = [`the replay failed: ${(error as Error).message}`];
    // A wrapped error may hide the request that had no recording, so it is named here too.
    for (const request of replay.unrecorded) if (!problems[0]?.includes(request)) problems.push(`no recorded response for ${request}`);
    return { ok: false, problems };
  } finally {
    await session?.close();
  }

  const unused = replay.listUnused();
  if (unused.length > 0) {
    const first = unused[0]?.request;
    return {
      ok: false,
      problems: [
        `the replay sent ${count(replay.sent, 'request')}, but the recording has ${unused.length} more; the first unsent one is ${first?.method} ${first?.url}`,
        'if the connector now reads fewer pages on purpose, record the fixtures again',
      ],
    };
  }

  const canonicalObject = folder.manifest.mappings?.find((mapping) => mapping.object === recording.object)?.canonicalObject ?? null;
  return { ok: true, requests: replay.sent, snapshot: { format: FIXTURE_FORMAT, object: recording.object, mode: recording.mode, canonicalObject, records, state } };
}

async function compareWithSnapshot(path: string, actual: Snapshot): Promise<string[]> {
  const expected = await readSnapshot(path);
  if (!expected) return [`there is no snapshot yet; run the command with --update to write it, then review it`];

  const lines = diffSnapshots(expected, actual);
  if (lines.length === 0) return [];
  const reported = lines.slice(0, MAX_DIFF_LINES);
  if (lines.length > MAX_DIFF_LINES) reported.push(`… and ${lines.length - MAX_DIFF_LINES} more differences`);
  reported.push('if the change is intended, run the command with --update and review the new snapshot');
  return reported;
}

function report(out: CommandOutput, status: string, headline: string, problems: readonly string[]): void {
  out(`${status.padEnd(4)} ${headline}`);
  for (const problem of problems) out(`       ${problem}`);
}

function describeSummary(total: number, summary: ReplaySummary, directory: string): string {
  const noun = count(total, 'recording');
  if (summary.updated > 0 && summary.failed === 0) return `Replayed ${noun} of ${directory}: ${count(summary.updated, 'snapshot')} written.`;
  if (summary.failed === 0) return `Replayed ${noun} of ${directory}: all passed.`;
  const parts = [`${summary.passed} passed`, `${summary.failed} failed`];
  if (summary.updated > 0) parts.push(`${summary.updated} written`);
  return `Replayed ${noun} of ${directory}: ${parts.join(', ')}.`;
}
