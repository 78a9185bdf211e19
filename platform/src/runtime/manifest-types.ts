// Manifest, auth and field-mapping types, generated into @lumio/plugin-sdk from the JSON
// Schemas. The runtime, auth, HTTP and mapping code import them only through this file.
export type {
  AuthMethod,
  ConnectorManifest,
  DefaultMapping,
  FieldMapping,
  FieldRule,
  IncrementalSync,
  ListOperation,
  ObjectDefinition,
  Pagination,
  RecordSelector,
  RequestTemplate,
  Transform,
} from '@lumio/plugin-sdk';
