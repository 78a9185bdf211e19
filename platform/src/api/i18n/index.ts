export { DEFAULT_API_LANGUAGE, negotiateLanguage } from './accept-language.js';
export type { ApiLanguage } from './accept-language.js';
export { localizeDetail } from './problem-messages.js';
export { localizeMappingProblems } from './mapping-problem-messages.js';
export type { LocalizedDetail, MessageParams } from './problem-messages.js';
export { describeIssue, issueCode } from './validation-messages.js';
export type { ValidationIssue } from './validation-messages.js';
