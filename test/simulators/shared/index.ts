export {
  BodyTooLargeError,
  MAX_BODY_BYTES,
  queryToRecord,
  readRequestBody,
  sendEmpty,
  sendJson,
} from './http-helpers.js';
export type { QueryRecord } from './http-helpers.js';
export { busiestWindow, RequestLog } from './request-log.js';
export type { LoggedRequest } from './request-log.js';
