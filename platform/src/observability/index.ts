export { createLogger, silentLogger } from './logger.js';
export type { Logger, CreateLoggerOptions } from './logger.js';
export { createWarningLimiter } from './warning-limiter.js';
export type { LimitedWarning, WarningLimiterOptions } from './warning-limiter.js';
