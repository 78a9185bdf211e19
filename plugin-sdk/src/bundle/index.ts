export { bundlePlugin, PluginBundleError, PLUGIN_GLOBAL_NAME } from './bundle-plugin.js';
export type { PluginBundle, PluginBundleIssue } from './bundle-plugin.js';
