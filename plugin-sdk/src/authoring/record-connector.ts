import type { ConnectorManifest } from '../generated/manifest.js';
import { AuthoringError } from './authoring-error.js';
import { chooseObjects, count, createCommandLogger, USER_AGENT, type CommandOutput } from './command-support.js';
import { readConnectionFile } from './connection-file.js';
import { displayPath, readConnectorFolder } from './connector-folder.js';
import { recordingPath, writeJsonFile } from './fixture-files.js';
import { loadPlatformRuntime } from './platform-runtime.js';
import { RecordingHttpClient } from './recording-http-client.js';
import { FIXTURE_FORMAT, type RecordedExchange, type Recording, type StreamMode } from './recording-format.js';
import { Redactor } from './redactor.js';
import { StreamSession } from './stream-session.js';

export interface RecordOptions {
  /** Connector folder. */
  directory: string;
  /** JSON file with the connection's config and credentials. */
  connectionFile: string;
  /** Objects to record; default every readable object. */
  objects?: string[];
  /** Whether to record an incremental run after each full run, for objects that support one. */
  incremental: boolean;
  /** Level of the platform's log on standard error. */
  logLevel: string;
  out: CommandOutput;
}

interface StreamRun {
  object: string;
  mode: StreamMode;
  startState: object | null;
  exchanges: RecordedExchange[];
  records: number;
  finalState: object | null;
}

/**
 * Runs each object's stream against the provider (a full run, then an incremental run from
 * where it ended) and saves every HTTP exchange as `fixtures/<object>.<mode>.json`, with
 * credentials, tokens, e-mail addresses and phone numbers redacted. Nothing is written
 * unless every run succeeds. Returns the paths written.
 */
export async function recordConnector(options: RecordOptions): Promise<string[]> {
  const folder = await readConnectorFolder(options.directory);
  const connection = await readConnectionFile(options.connectionFile);
  const platform = await loadPlatformRuntime();
  const logger = createCommandLogger(platform, options.logLevel);
  const config = platform.checkConnectionConfig(folder.manifest, connection.config);

  const recorder = new RecordingHttpClient(platform.createHttpClient({ allowPrivateNetwork: true, userAgent: USER_AGENT, logger }));
  let session: StreamSession;
  try {
    session = await StreamSession.open({ platform, folder, http: recorder, config, credentials: connection.credentials, ...optionalAuthMethod(connection.authMethod), logger });
  } catch (error) {
    await recorder.close();
    throw error;
  }

  const runs: StreamRun[] = [];
  try {
    for (const object of await chooseObjects(session, options.objects)) {
      const full = await recordRun(session, recorder, object, 'full', null);
      runs.push(full);
      if (options.incremental && (await session.supportsIncremental(object))) {
        runs.push(await recordRun(session, recorder, object, 'incremental', full.finalState));
      }
    }
  } finally {
    await session.close();
  }

  const redactor = new Redactor({
    credentials: connection.credentials,
    secretConfig: listSecretConfig(folder.manifest, config),
    sensitiveNames: listApiKeyNames(folder.manifest),
  });
  const redacted = redactor.redactExchanges(runs.flatMap((run) => run.exchanges));
  const recordedConnection = {
    config: redactor.redactJson(config) as Record<string, unknown>,
    authMethod: session.authMethodType,
    credentialFields: Object.keys(connection.credentials),
  };

  const written: string[] = [];
  let offset = 0;
  for (const run of runs) {
    const recording: Recording = {
      format: FIXTURE_FORMAT,
      connector: folder.manifest.id,
      object: run.object,
      mode: run.mode,
      connection: recordedConnection,
      startState: run.startState === null ? null : (redactor.redactJson(run.startState) as object),
      exchanges: redacted.slice(offset, offset + run.exchanges.length),
    };
    offset += run.exchanges.length;

    const path = recordingPath(folder.directory, run.object, run.mode);
    await writeJsonFile(path, recording);
    written.push(path);
    options.out(`Recorded ${run.object} (${run.mode}): ${count(run.records, 'record')} in ${count(run.exchanges.length, 'request')} -> ${displayPath(path)}`);
  }

  options.out('');
  options.out('Credentials, tokens, e-mail addresses and phone numbers were replaced with placeholders; review the files before you commit them.');
  options.out(`Next: lumio-connector test ${displayPath(folder.directory)} --update writes the snapshots the replays are compared with.`);
  return written;
}

async function recordRun(session: StreamSession, recorder: RecordingHttpClient, object: string, mode: StreamMode, startState: object | null): Promise<StreamRun> {
  recorder.takeExchanges();
  let records = 0;
  let finalState: object | null = startState;
  try {
    for await (const page of session.read(object, mode, startState)) {
      records += page.records.length;
      finalState = page.state;
    }
  } catch (error) {
    throw new AuthoringError('RECORD_FAILED', `Recording the ${mode} run of "${object}" failed, so no fixture was written: ${(error as Error).message}`, { cause: error });
  }
  return { object, mode, startState, exchanges: recorder.takeExchanges(), records, finalState };
}

/** Config values the manifest marks `secret`; they are redacted like credentials. */
function listSecretConfig(manifest: ConnectorManifest, config: Record<string, unknown>): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const [name, field] of Object.entries(manifest.connection.configSchema.properties)) {
    const value = config[name];
    if (field.secret === true && typeof value === 'string') secrets[name] = value;
  }
  return secrets;
}

/** Header and query names of the manifest's API key methods, which carry a credential under any name. */
function listApiKeyNames(manifest: ConnectorManifest): string[] {
  return manifest.auth.flatMap((method) => (method.type === 'apiKey' ? [method.name] : []));
}

function optionalAuthMethod(authMethod: string | undefined): { authMethod?: string } {
  return authMethod === undefined ? {} : { authMethod };
}
