/**
 * JavaScript that runs first in every new sandbox realm (an isolate context), before the
 * plugin bundle. A realm may then serve several calls made with one connection context
 * (see SandboxHost). It takes the host-call function from `__lumioHostCall` (an isolated-vm Callback, which
 * arrives as a plain function) and removes it from the global object. It defines
 * `__lumioDispatch(hook, action, inputJson, info)`, which parses the input, calls a hook
 * and returns the result envelope as JSON text (or null while an asynchronous hook runs),
 * `__lumioSettle()`, which returns the promise of that envelope, and
 * `__lumioResolve(id, ok, payload)`, through which the host settles host calls. The host
 * takes references to all three and deletes them from the global object before the
 * plugin runs.
 *
 * Built-ins are captured before plugin code can replace them. A plugin that tampers with
 * its own realm anyway can at worst corrupt its own envelopes, including those of later
 * calls in the same warm realm, which the host then rejects as invalid: the host trusts
 * nothing in the envelope beyond its JSON syntax.
 *
 * Envelope: `{"ok":true,"value":…}` (no `value` when the hook returned undefined), or
 * `{"ok":false,"kind":…,"name":…,"message":…,"stack":…,"path":…,"code":…}` where kind is
 * "threw", "result", "too-large", "definition" or "hook-missing".
 */
export const BOOTSTRAP_SOURCE = String.raw`
(function installLumioBootstrap(global) {
  'use strict';
  const hostCall = global.__lumioHostCall;
  delete global.__lumioHostCall;

  const JsonStringify = JSON.stringify;
  const JsonParse = JSON.parse;
  const ObjectKeys = Object.keys;
  const ObjectFreeze = Object.freeze;
  const ObjectCreate = Object.create;
  const ObjectGetPrototypeOf = Object.getPrototypeOf;
  const ObjectGetOwnPropertySymbols = Object.getOwnPropertySymbols;
  const ObjectPrototype = Object.prototype;
  const ArrayIsArray = Array.isArray;
  const NumberIsFinite = Number.isFinite;
  const ReflectApply = Reflect.apply;
  const StringSlice = String.prototype.slice;
  const StringCtor = String;
  const ErrorCtor = Error;
  const PromiseCtor = Promise;

  // Under isolated-vm 5.0.4 on Node.js 20.20, Atomics.waitAsync with a timeout ends the whole
  // worker process (SIGABRT), which would fail the calls of every other plugin with it.
  delete global.Atomics.waitAsync;

  const HOOKS = ['transformPage', 'buildRequest', 'paginate', 'parseWebhook', 'verifyWebhook', 'readStream'];
  const MAX_DEPTH = 100;

  let pending = ObjectCreate(null);
  let nextRequestId = 0;
  let granted = [];
  let hostCalls = 0;
  let maxHostCalls = 0;
  let maxArgsLength = 0;

  // Host calls queue work on the worker's main thread faster than it can run them, so the
  // count is kept here, out of the plugin's reach, and a flood stops inside the isolate.
  function countHostCall() {
    hostCalls += 1;
    if (hostCalls <= maxHostCalls + 1) return;
    const error = new ErrorCtor('One plugin call may make at most ' + maxHostCalls + ' host calls.');
    error.code = 'PLUGIN_HOST_CALL_LIMIT';
    throw error;
  }

  function cut(text, length) {
    return text.length > length ? ReflectApply(StringSlice, text, [0, length]) : text;
  }

  function isGranted(capability) {
    for (let index = 0; index < granted.length; index += 1) {
      if (granted[index] === capability) return true;
    }
    return false;
  }

  // Arguments cross as JSON text of bounded length, so a call can neither pass a value
  // that is not JSON nor make the worker and platform copy an arbitrarily large one.
  function serializeArgs(args) {
    const text = JsonStringify(args);
    if (text.length <= maxArgsLength) return text;
    const error = new ErrorCtor('The arguments of one host call may take at most ' + maxArgsLength + ' characters of JSON.');
    error.code = 'PLUGIN_HOST_CALL_INVALID';
    throw error;
  }

  function requestHost(capability, method, args) {
    return new PromiseCtor((resolve, reject) => {
      countHostCall();
      const argsJson = serializeArgs(args);
      nextRequestId += 1;
      const id = nextRequestId;
      pending[id] = { resolve, reject };
      hostCall(id, capability, method, argsJson);
    });
  }

  global.__lumioResolve = function resolveHostCall(id, ok, payload) {
    const entry = pending[id];
    if (entry === undefined) return;
    delete pending[id];
    if (ok) {
      entry.resolve(payload);
      return;
    }
    const failure = payload !== null && typeof payload === 'object' ? payload : {};
    const error = new ErrorCtor(typeof failure.message === 'string' ? failure.message : 'The host call failed.');
    if (typeof failure.code === 'string') error.code = failure.code;
    if (typeof failure.status === 'number') error.status = failure.status;
    entry.reject(error);
  };

  function makeLog(level) {
    return function log(message, fields) {
      countHostCall();
      hostCall(0, 'log', level, serializeArgs(fields === undefined ? [message] : [message, fields]));
      if (!isGranted('log')) {
        const error = new ErrorCtor('The plugin called context.log.' + level + ', but its manifest does not grant the "log" capability; add "log" to plugin.capabilities in manifest.json.');
        error.code = 'PLUGIN_CAPABILITY_DENIED';
        throw error;
      }
    };
  }

  function makeAsk(capability, method) {
    return function ask(...args) {
      return requestHost(capability, method, args);
    };
  }

  function makeContext(info) {
    return ObjectFreeze({
      connectorId: info.connectorId,
      connectionId: info.connectionId,
      hook: info.hook,
      action: info.action,
      object: info.object,
      config: info.config,
      http: ObjectFreeze({ request: makeAsk('http', 'request') }),
      state: ObjectFreeze({ get: makeAsk('state', 'get'), set: makeAsk('state', 'set'), delete: makeAsk('state', 'delete') }),
      log: ObjectFreeze({ info: makeLog('info'), warn: makeLog('warn'), error: makeLog('error') }),
      crypto: ObjectFreeze({ hmac: makeAsk('crypto', 'hmac'), hash: makeAsk('crypto', 'hash'), timingSafeEqual: makeAsk('crypto', 'timingSafeEqual') }),
    });
  }

  function ResultProblem(kind, path, message) {
    this.kind = kind;
    this.path = path;
    this.message = message;
  }

  function describeObject(value) {
    try {
      const prototype = ObjectGetPrototypeOf(value);
      const name = prototype && prototype.constructor && prototype.constructor.name;
      return typeof name === 'string' && name !== '' ? name : 'non-plain';
    } catch (error) {
      return 'non-plain';
    }
  }

  function keyPath(path, key) {
    return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? path + '.' + key : path + '[' + JsonStringify(key) + ']';
  }

  // The walk's state: the size so far, and for each depth the key taken from it (a number
  // for an array index) and the object there. Slots past the current depth are stale and
  // never read. The path text, such as $[3].email, is built only for a value that fails,
  // so the walk allocates no string per value.
  function startWalk(limit) {
    return { size: 0, limit, keys: [], ancestors: [] };
  }

  function pathOf(walk, depth) {
    let path = '$';
    for (let index = 0; index < depth; index += 1) {
      const key = walk.keys[index];
      path = typeof key === 'number' ? path + '[' + key + ']' : keyPath(path, key);
    }
    return path;
  }

  // Walks a result before it is serialised: JSON.stringify would silently drop functions,
  // symbols and undefined array items and turn NaN into null, and a result far over the
  // size limit should fail before its text is built. The size is an estimate in UTF-16
  // units; the host checks the exact UTF-8 size of the text.
  function measure(value, depth, walk) {
    switch (typeof value) {
      case 'string':
        walk.size += value.length + 2;
        break;
      case 'number':
        if (!NumberIsFinite(value)) throw new ResultProblem('result', pathOf(walk, depth), 'is ' + StringCtor(value) + ', which JSON cannot represent');
        walk.size += 24;
        break;
      case 'boolean':
        walk.size += 5;
        break;
      case 'undefined':
        throw new ResultProblem('result', pathOf(walk, depth), 'is undefined; use null for an empty value');
      case 'function':
        throw new ResultProblem('result', pathOf(walk, depth), 'is a function; return plain JSON data');
      case 'symbol':
        throw new ResultProblem('result', pathOf(walk, depth), 'is a symbol; return plain JSON data');
      case 'bigint':
        throw new ResultProblem('result', pathOf(walk, depth), 'is a bigint; convert it to a string or a number');
      default:
        measureObject(value, depth, walk);
    }
    if (walk.size > walk.limit) {
      throw new ResultProblem('too-large', pathOf(walk, depth), 'makes the result larger than the limit of ' + walk.limit + ' bytes');
    }
  }

  function measureObject(value, depth, walk) {
    if (value === null) {
      walk.size += 4;
      return;
    }
    if (depth >= MAX_DEPTH) throw new ResultProblem('result', pathOf(walk, depth), 'nests deeper than ' + MAX_DEPTH + ' levels');
    const { keys: trail, ancestors } = walk;
    for (let index = 0; index < depth; index += 1) {
      if (ancestors[index] === value) throw new ResultProblem('result', pathOf(walk, depth), 'refers back to an object that contains it (a cycle)');
    }
    ancestors[depth] = value;

    if (ArrayIsArray(value)) {
      walk.size += 2 + value.length;
      for (let index = 0; index < value.length; index += 1) {
        trail[depth] = index;
        measure(value[index], depth + 1, walk);
      }
      return;
    }

    const prototype = ObjectGetPrototypeOf(value);
    if (prototype !== ObjectPrototype && prototype !== null) {
      throw new ResultProblem('result', pathOf(walk, depth), 'is an instance of ' + describeObject(value) + '; return plain objects, arrays, strings, numbers, booleans and null');
    }
    if (ObjectGetOwnPropertySymbols(value).length > 0) throw new ResultProblem('result', pathOf(walk, depth), 'has symbol keys, which JSON cannot represent');
    const keys = ObjectKeys(value);
    walk.size += 2;
    for (let index = 0; index < keys.length; index += 1) {
      const key = keys[index];
      const item = value[key];
      // JSON leaves out properties whose value is undefined, as JSON.stringify does.
      if (item === undefined) continue;
      walk.size += key.length + 4;
      trail[depth] = key;
      measure(item, depth + 1, walk);
    }
  }

  function describeError(error) {
    try {
      if (error !== null && typeof error === 'object') {
        const described = {
          name: typeof error.name === 'string' ? cut(error.name, 200) : 'Error',
          message: typeof error.message === 'string' ? cut(error.message, 2000) : cut(StringCtor(error), 2000),
        };
        if (typeof error.stack === 'string') described.stack = cut(error.stack, 4000);
        if (typeof error.code === 'string') described.code = cut(error.code, 100);
        return described;
      }
      return { name: 'Error', message: cut(StringCtor(error), 2000) };
    } catch (describeFailure) {
      return { name: 'Error', message: 'The plugin threw a value that cannot be described.' };
    }
  }

  function failure(kind, details) {
    return JsonStringify({ ok: false, kind, name: details.name, message: details.message, stack: details.stack, path: details.path, code: details.code });
  }

  function success(value, limit) {
    if (value === undefined) return '{"ok":true}';
    try {
      measure(value, 0, startWalk(limit));
      return '{"ok":true,"value":' + JsonStringify(value) + '}';
    } catch (error) {
      if (error instanceof ResultProblem) return failure(error.kind, { message: error.message, path: error.path });
      return failure('result', describeError(error));
    }
  }

  function readDefinition() {
    const exported = global.__lumioPlugin;
    const definition = exported !== null && typeof exported === 'object' ? exported.default : undefined;
    if (definition === null || typeof definition !== 'object') {
      throw new ErrorCtor('The plugin entry has no default export of hooks; end it with export default definePlugin({ … }).');
    }
    return definition;
  }

  function describePlugin(definition) {
    const hooks = [];
    for (let index = 0; index < HOOKS.length; index += 1) {
      if (typeof definition[HOOKS[index]] === 'function') hooks[hooks.length] = HOOKS[index];
    }
    const actions = [];
    const table = definition.actions;
    if (table !== null && typeof table === 'object') {
      const names = ObjectKeys(table);
      for (let index = 0; index < names.length; index += 1) {
        if (typeof table[names[index]] === 'function') actions[actions.length] = names[index];
      }
    }
    return { hooks, actions };
  }

  // The envelope of an asynchronous hook, until the worker takes it with __lumioSettle.
  let settling = null;

  // Returns the envelope text at once when the hook returns a value that is not a promise,
  // so the worker reads it from this one call. isolated-vm's promise transfer costs an
  // extra task on the worker's main thread, and most transforms are synchronous. For a
  // hook that returns a promise or another thenable it returns null, and the worker awaits
  // __lumioSettle for the envelope.
  global.__lumioDispatch = function dispatch(hook, action, inputJson, info) {
    granted = info.capabilities;
    maxHostCalls = info.maxHostCalls;
    maxArgsLength = info.maxHostCallArgsLength;
    hostCalls = 0;
    let finished = true;
    try {
      const started = startHook(hook, action, JsonParse(inputJson), info);
      if (typeof started === 'string') return started;
      finished = false;
      settling = finishHook(started.thenable, info.maxResultBytes);
      return null;
    } finally {
      // The realm may serve later calls. A host-call result that arrives after this call
      // ended must run no plugin code, so the pending requests are dropped.
      if (finished) pending = ObjectCreate(null);
    }
  };

  global.__lumioSettle = function settle() {
    const envelope = settling;
    settling = null;
    return envelope;
  };

  async function finishHook(thenable, limit) {
    try {
      let value;
      try {
        value = await thenable;
      } catch (error) {
        return failure('threw', describeError(error));
      }
      return success(value, limit);
    } finally {
      pending = ObjectCreate(null);
    }
  }

  // Returns the envelope text, or { thenable } when the hook returned a promise or another
  // object with a then method. finishHook awaits it, so a thenable settles as under await.
  function startHook(hook, action, input, info) {
    let definition;
    try {
      definition = readDefinition();
      if (hook === 'describe') return success(describePlugin(definition), info.maxResultBytes);
    } catch (error) {
      return failure('definition', describeError(error));
    }

    const owner = hook === 'action' ? definition.actions : definition;
    const key = hook === 'action' ? action : hook;
    let handler;
    if (owner !== null && typeof owner === 'object') handler = owner[key];
    if (typeof handler !== 'function') {
      const name = hook === 'action' ? 'action "' + action + '"' : 'hook "' + hook + '"';
      return failure('hook-missing', { message: 'The plugin defines no ' + name + '.' });
    }

    let value;
    try {
      value = ReflectApply(handler, owner, [input, makeContext(info)]);
      if (value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function') return { thenable: value };
    } catch (error) {
      return failure('threw', describeError(error));
    }
    return success(value, info.maxResultBytes);
  }
})(globalThis);
`;
