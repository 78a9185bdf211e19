export { readProviderRecord } from './read-provider-record.js';
export type { ProviderReadDependencies, ProviderRecordRead, ReadOptions, ReadSource } from './read-provider-record.js';
