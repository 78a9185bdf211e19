import type { Connection } from '../store/index.js';
import type { ConnectionService } from '../connections/index.js';
import { LumioError } from '../errors/index.js';
import type { Logger } from '../observability/index.js';
import { executeRequest, getPath } from '../runtime/index.js';
import type { SandboxHost } from '../sandbox/index.js';
import { listActions } from './action-catalog.js';
import { checkActionInput } from './action-input.js';

export interface ActionDependencies {
  connections: ConnectionService;
  /** Runs plugin actions; without it only declared actions run. */
  sandbox: SandboxHost | undefined;
  logger: Logger;
}

export interface ActionResult {
  action: string;
  connectionId: string;
  runs: 'declared' | 'plugin';
  output: unknown;
  durationMs: number;
}

/**
 * Runs one action for a connection. A declared action renders its request template with
 * the input as `params` and sends it through the shared services. A plugin action runs in
 * the sandbox with the connection's capabilities. Both go ahead of bulk sync requests in
 * the rate limiter unless the manifest marks the action `interactive: false`.
 */
export async function runAction(deps: ActionDependencies, connection: Connection, name: string, input: unknown): Promise<ActionResult> {
  const { connector, context } = await deps.connections.open(connection);
  const actions = await listActions(connector, deps.sandbox);
  const summary = actions.find((action) => action.name === name);
  if (!summary) {
    const known = actions.map((action) => action.name);
    const hint = known.length > 0 ? `it offers ${known.join(', ')}` : 'it offers no actions';
    throw new LumioError('ACTION_NOT_FOUND', `Connector "${connector.id}" has no action "${name}"; ${hint}.`, { status: 404, fault: 'caller', details: { field: 'action' } });
  }

  const declared = connector.manifest.actions?.[name];
  const params = declared ? checkActionInput(connector.id, name, declared.input, input) : checkPlainObject(name, input);
  context.priority = summary.interactive ? 'interactive' : 'bulk';

  const started = performance.now();
  const logger = deps.logger.child({ connectionId: connection.id, connectorId: connector.id, action: name, runs: summary.runs });
  logger.info('action started');

  let output: unknown;
  try {
    if (summary.runs === 'plugin' && connector.plugin && deps.sandbox) {
      output = await deps.sandbox.call({ id: connector.id, plugin: connector.plugin }, 'action', params, { action: name, context });
    } else if (declared) {
      const response = await executeRequest(context, declared.request, { params }, { operation: `action:${name}` });
      output = declared.outputSelector ? getPath(response.body, declared.outputSelector.path) : response.body;
    }
  } catch (error) {
    logger.warn({ err: error, durationMs: Math.round(performance.now() - started) }, 'action failed');
    throw error;
  }

  const durationMs = Math.round(performance.now() - started);
  logger.info({ durationMs }, 'action finished');
  return { action: name, connectionId: connection.id, runs: summary.runs, output: output ?? null, durationMs };
}

function checkPlainObject(name: string, input: unknown): Record<string, unknown> {
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) return input as Record<string, unknown>;
  throw new LumioError('ACTION_INPUT_INVALID', `The input of action "${name}" must be a JSON object.`, { status: 422, fault: 'caller', details: { field: 'input' } });
}
