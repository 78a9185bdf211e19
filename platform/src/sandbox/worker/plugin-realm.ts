import ivm from 'isolated-vm';

/** Receives the host calls that plugin code in a realm makes, with the arguments as the isolate passed them. */
export type HostCallReceiver = (requestId: unknown, capability: unknown, method: unknown, argsJson: unknown) => void;

/**
 * A JavaScript realm (an isolated-vm Context) in a pooled isolate, with the bootstrap
 * installed. The plugin bundle runs in it once, before its first call. Host calls go to
 * the receiver of the call that runs in the realm at the time; between calls they are
 * dropped.
 */
export class PluginRealm {
  #released = false;
  /** Whether the plugin bundle's top level has run in this realm without throwing. */
  bundleLoaded = false;
  /** When the last call in this realm ended, from Date.now(). */
  idleSince = Date.now();

  private constructor(
    readonly context: ivm.Context,
    readonly dispatch: ivm.Reference,
    /** `__lumioSettle`, which returns the promise of the envelope of the last dispatch that returned null. */
    readonly settle: ivm.Reference,
    readonly resolveHostCall: ivm.Reference,
    private readonly route: { receiver?: HostCallReceiver },
  ) {}

  /**
   * Creates a context and installs the bootstrap in it. The steps run synchronously on
   * the worker's main thread: only our own code runs here, and an idle isolate's lock is
   * free, so this saves nine round trips to the isolate's thread. Plugin code never runs
   * synchronously, because the limit monitor needs the main thread to stop it.
   */
  static create(isolate: ivm.Isolate, bootstrap: ivm.Script): PluginRealm {
    const context = isolate.createContextSync();
    try {
      const route: { receiver?: HostCallReceiver } = {};
      const onHostCall: HostCallReceiver = (...args) => route.receiver?.(...args);
      const jail = context.global;

      // `ignored` returns to the isolate at once, and results come back through __lumioResolve.
      jail.setSync('__lumioHostCall', new ivm.Callback(onHostCall, { ignored: true }));
      bootstrap.runSync(context);
      const dispatch = jail.getSync('__lumioDispatch', { reference: true }) as ivm.Reference;
      const settle = jail.getSync('__lumioSettle', { reference: true }) as ivm.Reference;
      const resolveHostCall = jail.getSync('__lumioResolve', { reference: true }) as ivm.Reference;
      jail.deleteSync('__lumioDispatch');
      jail.deleteSync('__lumioSettle');
      jail.deleteSync('__lumioResolve');

      return new PluginRealm(context, dispatch, settle, resolveHostCall, route);
    } catch (error) {
      context.release();
      throw error;
    }
  }

  /** Routes the realm's host calls to one call until `detach`. */
  attach(receiver: HostCallReceiver): void {
    this.route.receiver = receiver;
  }

  detach(): void {
    this.route.receiver = undefined;
    this.idleSince = Date.now();
  }

  /** Drops the handles on the context, so the isolate can collect it. Safe on a disposed isolate. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.route.receiver = undefined;
    try {
      this.dispatch.release();
      this.settle.release();
      this.resolveHostCall.release();
      this.context.release();
    } catch {
      // A disposed isolate has freed its contexts already.
    }
  }
}
