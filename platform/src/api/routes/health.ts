import { Hono } from 'hono';

import type { Connection } from '../../store/index.js';
import type { ApiServices } from '../context.js';

const startedAt = Date.now();

type CheckStatus = 'healthy' | 'unhealthy';

/** Integration states from best to worst; a connector reports its worst connection's. */
const INTEGRATION_ORDER = ['healthy', 'degraded', 'unhealthy'] as const;
type IntegrationHealth = (typeof INTEGRATION_ORDER)[number] | 'not_connected' | 'unavailable';

/**
 * Health in the shape of the product document: an overall status, one check per dependency
 * (database, Redis when configured, the job queue), one status per installed connector, and
 * process totals. Only a failed dependency makes the response a 503. An impaired integration
 * makes it `degraded`, because the platform itself still serves requests.
 */
export function healthRoutes(services: ApiServices): Hono {
  const app = new Hono();

  app.get('/', async (c) => {
    const checks = await checkDependencies(services);
    const integrations = await integrationHealth(services);

    const dependenciesFailed = Object.values(checks).includes('unhealthy');
    const integrationsImpaired = Object.values(integrations).some((state) => state === 'degraded' || state === 'unhealthy' || state === 'unavailable');
    let status = 'healthy';
    if (dependenciesFailed) status = 'unhealthy';
    else if (integrationsImpaired) status = 'degraded';
    return c.json(
      { status, timestamp: new Date().toISOString(), checks: { ...checks, integrations }, metrics: await processTotals(services) },
      dependenciesFailed ? 503 : 200,
    );
  });

  app.get('/live', (c) => c.json({ status: 'healthy', timestamp: new Date().toISOString() }));

  app.get('/ready', async (c) => {
    const checks = await checkDependencies(services);
    const ready = !Object.values(checks).includes('unhealthy');
    return c.json({ status: ready ? 'healthy' : 'unhealthy', timestamp: new Date().toISOString(), checks }, ready ? 200 : 503);
  });

  return app;
}

/** Pings the database, Redis (only when the shared services use it) and the job queue's backend. */
async function checkDependencies(services: ApiServices): Promise<Record<string, CheckStatus>> {
  const probe = (ping: () => Promise<unknown>) => ping().then(() => 'healthy' as const, () => 'unhealthy' as const);

  const [database, redis, queue] = await Promise.all([
    probe(() => services.store.ping()),
    services.shared.shared ? probe(() => services.shared.ping()) : Promise.resolve(undefined),
    probe(() => services.jobs.ping()),
  ]);
  return { database, ...(redis ? { redis } : {}), queue };
}

/** Status per installed connector, from the health its connections recorded in every workspace. */
async function integrationHealth(services: ApiServices): Promise<Record<string, IntegrationHealth>> {
  const { registry, store } = services;
  const integrations: Record<string, IntegrationHealth> = {};

  for (const connector of registry.list()) {
    const connections = await store.connections.findAllByConnector(connector.id).catch(() => []);
    integrations[connector.id] = summarise(connections);
  }
  for (const rejected of registry.rejected()) integrations[rejected.id] = 'unavailable';
  return integrations;
}

function summarise(connections: Connection[]): IntegrationHealth {
  const active = connections.filter((connection) => connection.status !== 'disconnected');
  if (active.length === 0) return 'not_connected';

  let worst = 0;
  for (const connection of active) {
    // A connection waiting for re-authorisation serves nothing until someone signs in again.
    const state = connection.status === 'needs_reauth' || connection.status === 'error' ? 'unhealthy' : connection.health?.status;
    const rank = INTEGRATION_ORDER.indexOf(state as (typeof INTEGRATION_ORDER)[number]);
    worst = Math.max(worst, rank);
  }
  return INTEGRATION_ORDER[worst]!;
}

/** Uptime and the provider request and error totals of this process, from the Prometheus registry. */
async function processTotals(services: ApiServices): Promise<Record<string, number>> {
  const sum = async (name: string) => {
    const metric = services.metrics.registry.getSingleMetric(name);
    if (!metric) return 0;
    const { values } = await metric.get();
    return values.reduce((total, sample) => total + sample.value, 0);
  };

  const [requests, errors] = await Promise.all([sum('integration_requests_total'), sum('integration_errors_total')]);
  return {
    uptime: Math.floor((Date.now() - startedAt) / 1000),
    requests_total: requests,
    errors_total: errors,
    error_rate: requests === 0 ? 0 : Math.round((errors / requests) * 10_000) / 10_000,
  };
}
