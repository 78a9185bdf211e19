// Write-back: canonical records created or changed through the API are converted with the
// reverse of the connection's field mapping and sent to the provider in batches by a job.
export { WritebackService } from './writeback-service.js';
export type { ListWritesOptions, WritebackServiceOptions } from './writeback-service.js';
export type { AcceptedBatch, AcceptedWrite } from './accept-writes.js';
export { parseBatchWrite, parseSingleWrite, MAX_RECORDS_PER_REQUEST } from './parse-write-request.js';
export type { RecordInput, WriteRequest } from './parse-write-request.js';
export type { EffectiveWritebackSettings } from './writeback-settings.js';
export { WRITEBACK_JOB_NAME, processWriteBatch } from './process-write-batch.js';
export type { WriteBatchSummary, WritebackJobPayload } from './process-write-batch.js';
export { DEFAULT_CONFLICT_POLICY, decideConflict } from './conflict-policy.js';
export { DEFAULT_MATCH_FIELDS } from './match-key.js';
export { compileReverseMapping, PROVIDER_MANAGED_FIELDS } from './compile-reverse-mapping.js';
export type { ReverseMapping, ReverseRule, SkippedRule } from './compile-reverse-mapping.js';
export { applyReverseMapping } from './apply-reverse-mapping.js';
export type { ReversedRecord, ResolveExternalIds } from './apply-reverse-mapping.js';
export { validateCanonicalRecord } from './canonical-validator.js';
export type { FieldProblem } from './canonical-validator.js';
