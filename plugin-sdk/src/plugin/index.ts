// Plugin authoring surface. The bundler serves `@lumio/plugin-sdk` imports inside a plugin
// from this module, so it must stay free of Node APIs and of the SDK's validators.
export { definePlugin } from './define-plugin.js';
export { PLUGIN_HOOK_NAMES } from './plugin-types.js';
export type {
  CryptoCapability,
  DigestOptions,
  HashAlgorithm,
  HmacAlgorithm,
  HttpCapability,
  JsonValue,
  LogCapability,
  MaybePromise,
  PluginAction,
  PluginCallName,
  PluginCapability,
  PluginContext,
  PluginDefinition,
  PluginHookName,
  PluginHttpMethod,
  PluginHttpRequest,
  PluginHttpResponse,
  PluginLimits,
  PluginPageResponse,
  ReadStreamPage,
  ReadStreamRequest,
  StateCapability,
  WebhookDelivery,
  WebhookEvent,
} from './plugin-types.js';
