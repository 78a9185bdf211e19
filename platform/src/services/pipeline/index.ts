export { createRequestPipeline } from './request-pipeline.js';
export type { RequestPipelineOptions } from './request-pipeline.js';
export { startSharedServices } from './shared-services.js';
export type { SharedServiceMetrics, SharedServices, StartSharedServicesOptions } from './shared-services.js';
export { describeSend, noopRequestMetrics } from './request-metrics.js';
export type { ProviderSend, RequestMetrics, SendErrorType, SendStatus } from './request-metrics.js';
export type { ConnectionObserver } from './connection-observer.js';
