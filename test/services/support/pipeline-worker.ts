// One process of the multi-process pipeline run. It starts its own shared services on Redis
// and builds a context for the HubSpot connection in its config. From `startAt` until
// `startAt + durationMs` it sends `contacts.list` requests through `executeRequest` as fast
// as the pipeline grants them, then prints one JSON line with what it did. Run as
// `node --import tsx pipeline-worker.ts '<config JSON>'`.
import { isLumioError } from '../../../platform/src/errors/index.js';
import { createHttpClient } from '../../../platform/src/http/index.js';
import { silentLogger } from '../../../platform/src/observability/index.js';
import { executeRequest } from '../../../platform/src/runtime/index.js';
import { startSharedServices } from '../../../platform/src/services/pipeline/index.js';
import { buildHubSpotContext, contactsList, loadHubSpotManifest } from './pipeline-hubspot.js';

export interface PipelineWorkerConfig {
  workerId: number;
  redisUrl: string;
  simulatorUrl: string;
  token: string;
  /** Shared by every worker: they act as processes serving one connection. */
  connectionId: string;
  accountKey: string;
  /** Epoch milliseconds at which every worker starts sending. */
  startAt: number;
  durationMs: number;
  /** Hard cap on this worker's `executeRequest` calls, whatever the pipeline allows. */
  maxRequests: number;
  /** Calls this worker keeps in flight or waiting at once. */
  concurrency: number;
}

export interface PipelineWorkerReport {
  workerId: number;
  /** Whether the services shared their state through Redis. */
  shared: boolean;
  /** Calls started, at most `maxRequests`. */
  started: number;
  /** Calls that returned a 2xx response. */
  succeeded: number;
  /** Calls that failed before the deadline, by error code. */
  failures: Record<string, number>;
  /** Maximum time one successful call took, in milliseconds, waits for the budget included. */
  longestCallMs: number;
}

async function run(config: PipelineWorkerConfig): Promise<PipelineWorkerReport> {
  const services = await startSharedServices({ redisUrl: config.redisUrl, logger: silentLogger });
  const http = createHttpClient({ allowPrivateNetwork: true, userAgent: 'lumio-test', logger: silentLogger, timeoutMs: 15_000 });
  const manifest = loadHubSpotManifest();
  const list = contactsList(manifest);
  const ctx = buildHubSpotContext({
    manifest,
    baseUrl: config.simulatorUrl,
    token: config.token,
    http,
    logger: silentLogger,
    connectionId: config.connectionId,
    accountKey: config.accountKey,
    services: services.pipeline,
  });
  const report: PipelineWorkerReport = { workerId: config.workerId, shared: services.shared, started: 0, succeeded: 0, failures: {}, longestCallMs: 0 };

  await new Promise((resolve) => setTimeout(resolve, Math.max(0, config.startAt - Date.now())));
  const stop = AbortSignal.timeout(Math.max(1, config.startAt + config.durationMs - Date.now()));

  async function loop(): Promise<void> {
    while (!stop.aborted && report.started < config.maxRequests) {
      report.started += 1;
      const started = performance.now();
      try {
        await executeRequest(ctx, list, {}, { signal: stop, operation: 'list', object: 'contacts' });
        report.succeeded += 1;
        report.longestCallMs = Math.max(report.longestCallMs, Math.round(performance.now() - started));
      } catch (error) {
        // A call cut off by the deadline is the end of the run, not a failure.
        if (stop.aborted) return;
        const code = isLumioError(error) ? error.code : String(error);
        report.failures[code] = (report.failures[code] ?? 0) + 1;
      }
    }
  }

  try {
    await Promise.all(Array.from({ length: config.concurrency }, () => loop()));
  } finally {
    await http.close();
    await services.close();
  }
  return report;
}

const config = JSON.parse(process.argv[2] ?? '{}') as PipelineWorkerConfig;
const report = await run(config);
process.stdout.write(`${JSON.stringify(report)}\n`);
