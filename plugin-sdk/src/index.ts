// Public surface of @lumio/plugin-sdk: the manifest, mapping and canonical types generated
// from schemas/, the schema documents themselves, and the validators.
export type * from './generated/manifest.js';
export type * from './generated/field-mapping.js';
export type * from './generated/canonical.js';
export {
  canonicalCommonSchema,
  canonicalSchemas,
  connectorManifestSchema,
  fieldMappingSchema,
} from './generated/schemas.js';
export type { SchemaDocument } from './generated/schemas.js';

export {
  checkFolderName,
  findJsonSyntaxError,
  levenshteinDistance,
  suggestClosest,
  validateConnectorDirectory,
  validateFieldMapping,
  validateManifest,
} from './validate/index.js';
export type {
  ConnectorDirectoryResult,
  JsonSyntaxError,
  ManifestIssue,
  ValidateFieldMappingOptions,
  ValidationResult,
} from './validate/index.js';

// The plugin authoring surface, whose own index lists what a plugin bundle may import.
export * from './plugin/index.js';
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
} from './plugin/index.js';

export { bundlePlugin, PluginBundleError, PLUGIN_GLOBAL_NAME } from './bundle/index.js';
export type { PluginBundle, PluginBundleIssue } from './bundle/index.js';
