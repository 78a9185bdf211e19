export type { ApiPrincipal, Role } from './principal.js';
