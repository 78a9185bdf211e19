export { createApiApp } from './app.js';
export type { ApiServices, ApiEnv } from './context.js';
export type { ApiPrincipal } from './auth.js';
export { toProblem } from './problem.js';
export type { ProblemBody } from './problem.js';
