// Connector authoring: scaffold, build, record, replay and run connectors through the
// platform's runtime. The lumio-connector command is built on this module.
export { AuthoringError, usageError } from './authoring-error.js';
export type { AuthoringErrorOptions, FailureExitCode } from './authoring-error.js';
export { buildConnectorPlugin } from './build-connector-plugin.js';
export type { BuildOptions } from './build-connector-plugin.js';
export { checkPluginTypes, PLUGIN_COMPILER_OPTIONS } from './check-plugin-types.js';
export type { PluginTypeCheckOptions, PluginTypeCheckResult, PluginTypeError } from './check-plugin-types.js';
export type { CommandOutput } from './command-support.js';
export { readConnectionFile } from './connection-file.js';
export type { ConnectionFile } from './connection-file.js';
export { loadPlatformRuntime } from './platform-runtime.js';
export type { PlatformRuntime, SandboxSettings } from './platform-runtime.js';
export { recordConnector } from './record-connector.js';
export type { RecordOptions } from './record-connector.js';
export { FIXTURE_FORMAT, FIXTURES_FOLDER, SNAPSHOTS_FOLDER } from './recording-format.js';
export type { RecordedBody, RecordedExchange, Recording, Snapshot, SnapshotRecord, StreamMode } from './recording-format.js';
export { Redactor } from './redactor.js';
export type { RedactorOptions } from './redactor.js';
export { ReplayHttpClient } from './replay-http-client.js';
export { replayConnector } from './replay-connector.js';
export type { ReplayOptions, ReplaySummary } from './replay-connector.js';
export { requestKey } from './request-key.js';
export { runStream } from './run-stream.js';
export type { RunOptions, RunSummary } from './run-stream.js';
export { scaffoldConnector } from './scaffold-connector.js';
export type { ScaffoldOptions } from './scaffold-connector.js';
export { diffSnapshots } from './snapshot-diff.js';
