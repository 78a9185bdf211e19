import type { Knex } from 'knex';
import type { Logger } from '../observability/index.js';
import type { Dialect } from './dialect.js';

/** Dependencies shared by every repository. */
export interface StoreContext {
  knex: Knex;
  dialect: Dialect;
  logger: Logger;
}
