export { paginate } from './paginate.js';
export type { FetchedPage, PaginateOptions } from './paginate.js';
export { findNextPosition, readCount } from './next-position.js';
export { applyPosition, pageVariables } from './apply-position.js';
export { positionKey, describePosition } from './page-position.js';
export type { PagePosition } from './page-position.js';
