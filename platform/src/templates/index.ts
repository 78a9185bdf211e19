export { compileTemplate } from './compile-template.js';
export type { CompiledTemplate, TemplatePart, TemplateText, TemplateVariable } from './compile-template.js';
export { renderTemplate, renderPath, renderValue, listTemplateVariables } from './render-template.js';
export type { TemplateScope } from './render-template.js';
export { splitDotPath, readSegment, readSegments, FORBIDDEN_SEGMENTS } from './dot-path.js';
