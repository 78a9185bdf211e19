import { LumioError } from '../../errors/index.js';

/** A host call with arguments the host function does not accept. */
export function invalidHostCall(call: string, problem: string): LumioError {
  return new LumioError('PLUGIN_HOST_CALL_INVALID', `context.${call} was called with invalid arguments: ${problem}.`, {
    status: 502,
    fault: 'connector',
    details: { call },
  });
}
