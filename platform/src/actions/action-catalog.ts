import type { ActionDefinition } from '@lumio/plugin-sdk';

import type { LoadedConnector } from '../connectors/index.js';
import type { SandboxHost } from '../sandbox/index.js';
import { toInputJsonSchema } from './action-input.js';

/** An action a connection can run: declared by the manifest, defined by the plugin, or both. */
export interface ActionSummary {
  name: string;
  label: string;
  description: string;
  /** JSON Schema of the input; plugin-only actions accept any JSON object. */
  input: Record<string, unknown>;
  /** `plugin` when the plugin's action runs, which it does whenever the plugin defines the name. */
  runs: 'declared' | 'plugin';
  interactive: boolean;
}

/**
 * Lists a connector's actions. A plugin action with the same name as a declared one
 * takes its place, so a manifest can document an action (label, input schema) whose
 * logic lives in the plugin.
 */
export async function listActions(connector: LoadedConnector, sandbox: SandboxHost | undefined): Promise<ActionSummary[]> {
  const declared = connector.manifest.actions ?? {};
  const pluginActions = await listPluginActions(connector, sandbox);

  const summaries = new Map<string, ActionSummary>();
  for (const [name, action] of Object.entries(declared)) {
    summaries.set(name, summarizeDeclared(name, action, pluginActions.has(name)));
  }
  for (const name of pluginActions) {
    if (summaries.has(name)) continue;
    summaries.set(name, { name, label: name, description: `Action defined by the ${connector.manifest.name} plugin.`, input: { type: 'object' }, runs: 'plugin', interactive: true });
  }
  return [...summaries.values()].sort((left, right) => left.name.localeCompare(right.name));
}

async function listPluginActions(connector: LoadedConnector, sandbox: SandboxHost | undefined): Promise<Set<string>> {
  if (!connector.plugin || !sandbox) return new Set();
  const { actions } = await sandbox.describe({ id: connector.id, plugin: connector.plugin });
  return new Set(actions);
}

function summarizeDeclared(name: string, action: ActionDefinition, inPlugin: boolean): ActionSummary {
  return {
    name,
    label: action.label,
    description: action.description,
    input: toInputJsonSchema(action.input),
    runs: inPlugin ? 'plugin' : 'declared',
    interactive: action.interactive ?? true,
  };
}
