import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { createWarningLimiter } from './warning-limiter.js';

function captureLines(): { lines: Record<string, unknown>[]; write: (line: string) => void } {
  const lines: Record<string, unknown>[] = [];
  return { lines, write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) };
}

describe('createWarningLimiter', () => {
  it('logs one line per interval', () => {
    let time = 0;
    const output = captureLines();
    const warn = createWarningLimiter({ logger: createLogger({ destination: output }), intervalMs: 30_000, now: () => time });

    warn({ attempt: 1 }, 'redis failed');
    time = 10_000;
    warn({ attempt: 2 }, 'redis failed');
    time = 29_999;
    warn({ attempt: 3 }, 'redis failed');

    expect(output.lines).toHaveLength(1);
    expect(output.lines[0]).toMatchObject({ level: 40, msg: 'redis failed', attempt: 1, suppressed: 0 });

    time = 39_999;
    warn({ attempt: 4 }, 'redis failed');

    expect(output.lines).toHaveLength(2);
    expect(output.lines[1]).toMatchObject({ attempt: 4, suppressed: 2 });
  });
});
