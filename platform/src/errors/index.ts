export { LumioError, isLumioError } from './lumio-error.js';
export type { Fault, LumioErrorOptions } from './lumio-error.js';
