import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { AuthoringError } from './authoring-error.js';
import { displayPath } from './connector-folder.js';
import { FIXTURE_FORMAT, FIXTURES_FOLDER, SNAPSHOTS_FOLDER, runFileName, type Recording, type Snapshot, type StreamMode } from './recording-format.js';

/** A recording read from a connector's fixtures folder. */
export interface RecordingFile {
  path: string;
  recording: Recording;
}

/** Writes JSON with two-space indentation and a final newline, creating the folder. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function recordingPath(directory: string, object: string, mode: StreamMode): string {
  return join(directory, FIXTURES_FOLDER, runFileName(object, mode));
}

export function snapshotPath(directory: string, object: string, mode: StreamMode): string {
  return join(directory, SNAPSHOTS_FOLDER, runFileName(object, mode));
}

/**
 * Reads every recording in the connector's fixtures folder, ordered by object and with
 * each full run before its incremental run. A non-empty `objects` keeps only those objects.
 */
export async function listRecordings(directory: string, objects?: readonly string[]): Promise<RecordingFile[]> {
  const folder = join(directory, FIXTURES_FOLDER);
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });

  const files: RecordingFile[] = [];
  for (const name of names.filter((entry) => entry.endsWith('.json')).sort()) {
    const path = join(folder, name);
    const recording = parseRecording(path, await readFile(path, 'utf8'));
    if (objects === undefined || objects.length === 0 || objects.includes(recording.object)) files.push({ path, recording });
  }
  return files.sort((a, b) => a.recording.object.localeCompare(b.recording.object) || modeOrder(a.recording.mode) - modeOrder(b.recording.mode));
}

/** Reads a snapshot, or returns undefined when the file does not exist. */
export async function readSnapshot(path: string): Promise<Snapshot | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }

  const value = parseJson(path, text) as Partial<Snapshot>;
  if (value.format !== FIXTURE_FORMAT || !Array.isArray(value.records)) {
    throw new AuthoringError('SNAPSHOT_INVALID', `The snapshot ${displayPath(path)} is not in snapshot format ${FIXTURE_FORMAT}; write it again with \`lumio-connector test --update\`.`);
  }
  return value as Snapshot;
}

function parseRecording(path: string, text: string): Recording {
  const value = parseJson(path, text) as Partial<Recording>;
  const valid =
    value.format === FIXTURE_FORMAT &&
    typeof value.object === 'string' &&
    (value.mode === 'full' || value.mode === 'incremental') &&
    Array.isArray(value.exchanges) &&
    typeof value.connection === 'object' &&
    value.connection !== null;
  if (!valid) {
    throw new AuthoringError(
      'FIXTURE_INVALID',
      `The fixture ${displayPath(path)} is not a recording in fixture format ${FIXTURE_FORMAT}; record it again with \`lumio-connector record\`, or move files that are not recordings out of ${FIXTURES_FOLDER}/.`,
    );
  }
  return value as Recording;
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AuthoringError('FIXTURE_INVALID', `The file ${displayPath(path)} is not valid JSON (${(error as Error).message}); fix it or record it again.`, { cause: error });
  }
}

function modeOrder(mode: StreamMode): number {
  return mode === 'full' ? 0 : 1;
}
