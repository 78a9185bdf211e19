import { describe, expect, it } from 'vitest';

import type { SandboxConfig } from '../config/index.js';
import { resolvePluginLimits } from './plugin-limits.js';

const SETTINGS: SandboxConfig = {
  defaults: { memoryMb: 64, cpuTimeMs: 1000, wallTimeMs: 30_000 },
  maximums: { memoryMb: 256, cpuTimeMs: 5000, wallTimeMs: 60_000 },
  maxResultBytes: 1024 * 1024,
};

describe('resolvePluginLimits', () => {
  it('uses the defaults when the manifest sets none', () => {
    expect(resolvePluginLimits(SETTINGS, undefined)).toEqual({ limits: SETTINGS.defaults, lowered: [] });
    expect(resolvePluginLimits(SETTINGS, {})).toEqual({ limits: SETTINGS.defaults, lowered: [] });
  });

  it('takes manifest limits under the maximum', () => {
    const { limits, lowered } = resolvePluginLimits(SETTINGS, { cpuTimeMs: 200, wallTimeMs: 1500 });

    expect(limits).toEqual({ memoryMb: 64, cpuTimeMs: 200, wallTimeMs: 1500 });
    expect(lowered).toEqual([]);
  });

  it('lowers manifest limits to the maximum', () => {
    const { limits, lowered } = resolvePluginLimits(SETTINGS, { memoryMb: 1024, cpuTimeMs: 5000, wallTimeMs: 120_000 });

    expect(limits).toEqual({ memoryMb: 256, cpuTimeMs: 5000, wallTimeMs: 60_000 });
    expect(lowered).toEqual(['memoryMb', 'wallTimeMs']);
  });

  it('raises memory to the isolate minimum', () => {
    expect(resolvePluginLimits(SETTINGS, { memoryMb: 2 }).limits.memoryMb).toBe(8);
  });

  it('leaves the settings unchanged', () => {
    resolvePluginLimits(SETTINGS, { cpuTimeMs: 10 });

    expect(SETTINGS.defaults.cpuTimeMs).toBe(1000);
  });
});
