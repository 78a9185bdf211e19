export { createRequestPipeline } from './request-pipeline.js';
export type { RequestPipelineOptions } from './request-pipeline.js';
export { startSharedServices } from './shared-services.js';
export type { SharedServices, StartSharedServicesOptions } from './shared-services.js';
