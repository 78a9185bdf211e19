import type { PluginLimits } from '@lumio/plugin-sdk';

import type { SandboxConfig, SandboxLimits } from '../config/index.js';

export interface ResolvedLimits {
  limits: SandboxLimits;
  /** Limits the manifest asked for above the operator's maximum, which were lowered to it. */
  lowered: (keyof SandboxLimits)[];
}

/**
 * Returns the limits of a plugin's calls: the manifest's `plugin.limits` where set, else
 * the platform defaults, each capped at the operator's maximum.
 */
export function resolvePluginLimits(settings: SandboxConfig, requested: PluginLimits | undefined): ResolvedLimits {
  const limits = { ...settings.defaults };
  const lowered: (keyof SandboxLimits)[] = [];

  for (const name of ['memoryMb', 'cpuTimeMs', 'wallTimeMs'] as const) {
    const value = requested?.[name];
    if (value === undefined) continue;
    if (value > settings.maximums[name]) lowered.push(name);
    limits[name] = Math.min(value, settings.maximums[name]);
  }

  // isolated-vm rejects a heap limit under 8 MB.
  limits.memoryMb = Math.max(8, limits.memoryMb);
  return { limits, lowered };
}
