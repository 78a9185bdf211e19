import { PLUGIN_HOOK_NAMES, type PluginDefinition } from './plugin-types.js';

const KNOWN_KEYS: readonly string[] = [...PLUGIN_HOOK_NAMES, 'actions'];

/**
 * Declares a connector plugin; the plugin entry's default export must be its result.
 * Checks that every hook is a function and every key is a known hook, so a misspelt hook
 * fails when the plugin loads instead of never being called. This code runs inside the
 * sandbox, so it uses no Node API.
 */
export function definePlugin<const T extends PluginDefinition>(definition: T): T {
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    throw new TypeError('definePlugin expects an object of hooks, such as definePlugin({ transformPage(records) { … } }).');
  }

  for (const key of Object.keys(definition)) {
    if (!KNOWN_KEYS.includes(key)) {
      throw new TypeError(`definePlugin got an unknown key "${key}"; the known keys are ${KNOWN_KEYS.join(', ')}.`);
    }
    const value = (definition as Record<string, unknown>)[key];
    if (key === 'actions') checkActions(value);
    else if (value !== undefined && typeof value !== 'function') {
      throw new TypeError(`The plugin hook "${key}" must be a function, but it is ${describeType(value)}.`);
    }
  }

  return Object.freeze(definition);
}

function checkActions(actions: unknown): void {
  if (actions === undefined) return;
  if (typeof actions !== 'object' || actions === null || Array.isArray(actions)) {
    throw new TypeError(`The plugin's "actions" must be an object of action names to functions, but it is ${describeType(actions)}.`);
  }
  for (const [name, action] of Object.entries(actions)) {
    if (typeof action !== 'function') {
      throw new TypeError(`The plugin action "${name}" must be a function, but it is ${describeType(action)}.`);
    }
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
