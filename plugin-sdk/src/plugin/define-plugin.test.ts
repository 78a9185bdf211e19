import { describe, expect, it } from 'vitest';

import { definePlugin } from './define-plugin.js';

describe('definePlugin', () => {
  it('returns the hooks, frozen', () => {
    const transformPage = (records: unknown[]) => records;
    const plugin = definePlugin({ transformPage, actions: { send: () => null } });

    expect(plugin.transformPage).toBe(transformPage);
    expect(Object.isFrozen(plugin)).toBe(true);
  });

  it('accepts an empty plugin', () => {
    expect(definePlugin({})).toEqual({});
  });

  it('rejects a misspelt hook with the known names', () => {
    expect(() => definePlugin({ transfromPage: () => [] } as never)).toThrow('definePlugin got an unknown key "transfromPage"; the known keys are transformPage, buildRequest, paginate, parseWebhook, verifyWebhook, readStream, actions.');
  });

  it('rejects a hook that is not a function', () => {
    expect(() => definePlugin({ paginate: 'next' } as never)).toThrow('The plugin hook "paginate" must be a function, but it is a string.');
  });

  it('rejects actions that are not functions', () => {
    expect(() => definePlugin({ actions: [] } as never)).toThrow('must be an object of action names to functions, but it is an array');
    expect(() => definePlugin({ actions: { send: null } } as never)).toThrow('The plugin action "send" must be a function, but it is null.');
  });

  it('rejects a definition that is not an object', () => {
    expect(() => definePlugin(null as never)).toThrow(TypeError);
    expect(() => definePlugin([] as never)).toThrow(TypeError);
  });
});
