export { listActions, type ActionSummary } from './action-catalog.js';
export { checkActionInput, toInputJsonSchema, type InputProblem } from './action-input.js';
export { runAction, type ActionDependencies, type ActionResult } from './run-action.js';
