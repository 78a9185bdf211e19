import type { Logger } from '../../observability/index.js';
import { invalidHostCall } from './host-call-error.js';

/** Maximum length of a plugin log message, in characters. Longer ones are cut. */
export const MAX_LOG_MESSAGE_LENGTH = 2000;
/** Maximum size of the `fields` of one log line, in bytes of JSON. */
export const MAX_LOG_FIELDS_BYTES = 8 * 1024;

/** Writes one `context.log` line under the call's logger, which carries the connector, connection and hook. */
export function writePluginLog(logger: Logger, level: string, args: unknown[]): void {
  if (level !== 'info' && level !== 'warn' && level !== 'error') throw invalidHostCall(`log.${level}`, 'the log capability has info, warn and error');

  const [message, fields] = args;
  if (typeof message !== 'string') throw invalidHostCall(`log.${level}`, 'the message must be a string');
  if (fields !== undefined && (typeof fields !== 'object' || fields === null || Array.isArray(fields))) {
    throw invalidHostCall(`log.${level}`, 'the fields must be an object');
  }

  const text = message.length > MAX_LOG_MESSAGE_LENGTH ? `${message.slice(0, MAX_LOG_MESSAGE_LENGTH)}…` : message;
  const size = fields === undefined ? 0 : Buffer.byteLength(JSON.stringify(fields), 'utf8');
  const pluginFields = size > MAX_LOG_FIELDS_BYTES ? { omitted: `fields of ${size} bytes, over ${MAX_LOG_FIELDS_BYTES}` } : fields;
  logger[level]({ pluginFields }, `plugin: ${text}`);
}
