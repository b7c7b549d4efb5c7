/**
 * Adapter classes (`WebSocketManagerAdapter`, `LegacyWebSocketManagerAdapter`). In canonical mode
 * the adapter-only methods are mapped to canonical calls on the unwrapped manager, exactly as the
 * manifest's templates say (and as the remove-adapters codemod will write them), e.g.
 * `notifyAgentStarted(name)` → `m.emit('agent_started', { agentName: name })`. Everything else
 * (forwarded protocol methods, metrics, the `manager` getter) stays the frozen adapter's, over
 * the wrapped manager, which is itself routed. An adapter around a manager served by the legacy
 * side stays legacy: one run is never split between implementations.
 */
import type { ScopedWebSocketManager } from '../../canonical/index.js';
import { isCanonicalBacked } from './canonical-manager.js';
import { enter, validateSpec } from './entry.js';
import type { LegacyEntrySpec, ShimOptions } from './entry.js';
import { finishAlias, isLegacyContext } from './manager.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCtor = abstract new (...args: any[]) => object;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;

/** A canonical call for one adapter method: `(m, ...args)` with m the unwrapped canonical manager. */
export type AdapterMethodMapping = (m: ScopedWebSocketManager, ...args: never[]) => unknown;

export interface AdapterOptions extends ShimOptions {
  /** Index of the wrapped manager in the constructor's arguments (manifest `unwrapArg`, default 0). */
  unwrapArg?: number;
  /** Index of an optional user-context argument naming whom the adapter acts for. */
  contextArg?: number;
  /** adapterMethod → canonical call (manifest `methods`). Empty for pure forwarders. */
  methods?: Record<string, AdapterMethodMapping>;
}

function isScopedCanonical(v: unknown): v is ScopedWebSocketManager {
  return typeof v === 'object' && v !== null && typeof (v as ScopedWebSocketManager).emit === 'function' && isLegacyContext((v as ScopedWebSocketManager).context);
}

export function defineLegacyAdapter<C extends AnyCtor>(spec: LegacyEntrySpec, frozen: C, options: AdapterOptions = {}): C {
  validateSpec(spec, 'defineLegacyAdapter', options);
  const unwrapArg = options.unwrapArg ?? 0;
  const methods = Object.entries(options.methods ?? {});
  const produced = new WeakSet<object>();

  const Alias = function (this: unknown, ...args: unknown[]): object {
    if (!new.target) throw new TypeError(`Class constructor ${spec.symbol} cannot be invoked without 'new'`);
    const entry = enter(spec, options, Alias);
    const instance = Reflect.construct(frozen as unknown as AnyFn, args, new.target === Alias ? (frozen as unknown as AnyFn) : new.target) as object;
    produced.add(instance);
    if (entry.mode !== 'canonical' || methods.length === 0) return instance;
    const wrapped = args[unwrapArg];
    const ctx = options.contextArg !== undefined && isLegacyContext(args[options.contextArg]) ? args[options.contextArg] : undefined;
    let unwrap: (() => ScopedWebSocketManager) | undefined;
    if (isCanonicalBacked(wrapped)) unwrap = () => wrapped.canonicalFor(ctx as never);
    else if (isScopedCanonical(wrapped)) unwrap = () => wrapped;
    if (!unwrap) return instance; // wrapped manager is served by the legacy side: keep the frozen adapter
    const record = entry.record;
    const resolve = unwrap;
    for (const [name, mapping] of methods) {
      Object.defineProperty(instance, name, {
        value: async (...a: never[]) => {
          record.methodCalls++;
          await mapping(resolve(), ...a);
        },
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
    return instance;
  } as unknown as C & AnyFn;
  finishAlias(Alias, frozen, spec.symbol, (v) => produced.has(v));
  return Alias;
}
