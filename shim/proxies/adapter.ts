/**
 * Adapter classes (manifest `adapters[]`). In canonical mode
 * the adapter-only methods are mapped to canonical calls on the unwrapped manager, exactly as the
 * manifest's templates say (and as the remove-adapters codemod will write them), e.g.
 * `notifyStarted(name)` → `m.emit('agent_started', { agentName: name })`. Everything else
 * (forwarded protocol methods, metrics, the `manager` getter) stays the frozen adapter's, over
 * the wrapped manager, which is itself routed. An adapter around a manager served by the legacy
 * side stays legacy: one run is never split between implementations.
 */
import type { ScopedWebSocketManager } from '../../canonical/core.js';
import { enter, validateSpec } from './entry.js';
import type { LegacyEntrySpec, ShimOptions } from './entry.js';
import { finishAlias, isLegacyContext } from './manager.js';
import { bindingOf, reportDetached } from './templated.js';
import type { LegacyContextLike } from './templated.js';
import type { SiteRecord } from '../telemetry.js';

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
  /** Instance properties naming the user/thread/run the adapter acts for (manifest `scope`). */
  scope?: { userId: string; threadId?: string; runId?: string };
  /** Methods whose legacy result is `void`: the canonical call's promise is not handed back; its rejection is reported, never unhandled. */
  detached?: readonly string[];
  /** Static methods returning an adapter instance (e.g. `forCurrentRequest(hub)`): their instances are mapped too. */
  statics?: readonly string[];
}

function isScopedCanonical(v: unknown): v is ScopedWebSocketManager {
  return typeof v === 'object' && v !== null && typeof (v as ScopedWebSocketManager).emit === 'function' && isLegacyContext((v as ScopedWebSocketManager).context);
}

export function defineLegacyAdapter<C extends AnyCtor>(spec: LegacyEntrySpec, frozen: C, options: AdapterOptions = {}): C {
  validateSpec(spec, 'defineLegacyAdapter', options);
  const unwrapArg = options.unwrapArg ?? 0;
  const methods = Object.entries(options.methods ?? {});
  const detached = new Set(options.detached ?? []);
  const produced = new WeakSet<object>();

  /** In canonical mode, maps the adapter-only methods of `instance` to canonical calls on the unwrapped manager. */
  const adopt = (instance: object, wrapped: unknown, ctxArg: unknown, record: SiteRecord): void => {
    if (methods.length === 0) return;
    const ctx = isLegacyContext(ctxArg) ? ctxArg : undefined;
    const scopeOf = (): Partial<LegacyContextLike> => {
      if (ctx || !options.scope) return ctx ?? {};
      const o = instance as Record<string, unknown>;
      const pick = (key: string | undefined) => (key !== undefined && typeof o[key] === 'string' ? (o[key] as string) : undefined);
      const s: { -readonly [K in keyof LegacyContextLike]?: string } = {};
      const userId = pick(options.scope.userId);
      const threadId = pick(options.scope.threadId);
      const runId = pick(options.scope.runId);
      if (userId !== undefined) s.userId = userId;
      if (threadId !== undefined) s.threadId = threadId;
      if (runId !== undefined) s.runId = runId;
      return s;
    };
    let unwrap: (() => ScopedWebSocketManager) | undefined;
    const binding = bindingOf(wrapped);
    if (binding) unwrap = () => binding.run(scopeOf());
    else if (isScopedCanonical(wrapped)) unwrap = () => wrapped;
    if (!unwrap) return; // wrapped manager is served by the legacy side: keep the frozen adapter
    const resolve = unwrap;
    for (const [name, mapping] of methods) {
      const value = detached.has(name)
        ? (...a: never[]): void => {
            record.methodCalls++;
            let result: unknown;
            try {
              result = mapping(resolve(), ...a);
            } catch (error) {
              reportDetached(spec.id, `${spec.symbol}.${name}`, error);
              return;
            }
            if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
              (result as Promise<unknown>).then(undefined, (error: unknown) => reportDetached(spec.id, `${spec.symbol}.${name}`, error));
            }
          }
        : async (...a: never[]) => {
            record.methodCalls++;
            await mapping(resolve(), ...a);
          };
      Object.defineProperty(instance, name, { value, writable: true, configurable: true, enumerable: false });
    }
  };

  const Alias = function (this: unknown, ...args: unknown[]): object {
    if (!new.target) throw new TypeError(`Class constructor ${spec.symbol} cannot be invoked without 'new'`);
    const entry = enter(spec, options, Alias);
    const instance = Reflect.construct(frozen as unknown as AnyFn, args, new.target === Alias ? (frozen as unknown as AnyFn) : new.target) as object;
    produced.add(instance);
    if (entry.mode === 'canonical') adopt(instance, args[unwrapArg], options.contextArg !== undefined ? args[options.contextArg] : undefined, entry.record);
    return instance;
  } as unknown as C & AnyFn;
  finishAlias(Alias, frozen, spec.symbol, (v) => produced.has(v));
  const frozenStatics = frozen as unknown as Record<string, AnyFn>;
  for (const name of options.statics ?? []) {
    const original = frozenStatics[name];
    if (typeof original !== 'function') continue;
    const staticSpec = { ...spec, symbol: `${spec.symbol}.${name}` };
    const routed = function (...args: unknown[]): unknown {
      const entry = enter(staticSpec, options, routed);
      const instance = original.apply(frozen, args) as unknown;
      if (typeof instance !== 'object' || instance === null) return instance;
      produced.add(instance);
      if (entry.mode === 'canonical') {
        const wrapped = args.find((a) => bindingOf(a) !== undefined || isScopedCanonical(a));
        adopt(instance, wrapped, undefined, entry.record);
      }
      return instance;
    };
    Object.defineProperty(routed, 'name', { value: name });
    (Alias as unknown as Record<string, unknown>)[name] = routed;
  }
  return Alias;
}

