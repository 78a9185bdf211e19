import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { createLogger } from '../../observability/index.js';
import { MAX_LOG_MESSAGE_LENGTH, writePluginLog } from './log-capability.js';

function captureLogger() {
  const lines: any[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()));
      callback();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

describe('writePluginLog', () => {
  it('writes the message and fields at the level', () => {
    const { logger, lines } = captureLogger();

    writePluginLog(logger.child({ connectorId: 'acme' }), 'warn', ['odd record', { id: 3 }]);

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, msg: 'plugin: odd record', pluginFields: { id: 3 }, connectorId: 'acme' });
  });

  it('cuts a long message', () => {
    const { logger, lines } = captureLogger();

    writePluginLog(logger, 'info', ['x'.repeat(MAX_LOG_MESSAGE_LENGTH + 50)]);

    expect(lines[0].msg).toBe(`plugin: ${'x'.repeat(MAX_LOG_MESSAGE_LENGTH)}…`);
  });

  it('leaves out oversized fields', () => {
    const { logger, lines } = captureLogger();

    writePluginLog(logger, 'error', ['big', { blob: 'y'.repeat(20_000) }]);

    expect(lines[0].pluginFields.omitted).toMatch(/fields of \d+ bytes/);
  });

  it('redacts secret-looking fields like any log line', () => {
    const { logger, lines } = captureLogger();

    writePluginLog(logger, 'info', ['token', { accessToken: 'abc' }]);

    expect(JSON.stringify(lines[0])).not.toContain('abc');
  });

  it.each([
    ['debug', ['x']],
    ['info', [12]],
    ['info', ['x', 'fields']],
    ['info', ['x', [1]]],
  ])('rejects %s with %j', (level, args) => {
    const { logger } = captureLogger();

    expect(() => writePluginLog(logger, level, args)).toThrow(/invalid arguments/);
  });
});
