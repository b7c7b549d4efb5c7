/**
 * Legacy manager entry points: the alias class (`new UnifiedWebSocketManager(mode?, ctx?)`) and
 * functions that hand out managers (`getWebSocketManager(ctx?)`, legacy `createWebSocketManager`,
 * factory statics). The mode is read once per construction/call and pinned to what is returned:
 * a flip applies to managers created afterwards and never splits one run between implementations.
 */
import { createConnectionHub } from '../../canonical/index.js';
import type { ShimMode } from '../modes.js';
import { CanonicalLegacyManager, isCanonicalBacked } from './canonical-manager.js';
import type { LegacyContextLike } from './canonical-manager.js';
import { enter, resolveHub, validateSpec } from './entry.js';
import type { Entry, LegacyEntrySpec, ShimOptions } from './entry.js';
import { createShadowManager } from './shadow.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCtor = abstract new (...args: any[]) => object;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;

export interface ManagerAliasOptions extends ShimOptions {
  /** Index of the constructor's mode argument (default 0). */
  modeArg?: number;
  /** Index of the constructor's user-context argument (default 1). */
  contextArg?: number;
}

export interface ManagerFunctionOptions extends ShimOptions {
  /** Index of the user-context argument (default 0). Without a context, an unscoped manager is returned. */
  contextArg?: number;
  /**
   * The frozen manager class. Needed only for shadow mode with a canonical primary: the legacy
   * side then runs on a fresh instance of it (never the frozen shared one, which holds real sockets).
   */
  frozenManager?: new () => object;
}

/** Every object a manager entry point handed out, across all aliases: `instanceof` answers from it. */
const handedOut = new WeakSet<object>();

export function isLegacyContext(v: unknown): v is LegacyContextLike {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return typeof c.userId === 'string' && typeof c.threadId === 'string' && typeof c.runId === 'string';
}

/** Shared unscoped canonical manager per hub, for no-context getters (legacy: "the" manager). */
const unscopedByHub = new WeakMap<object, CanonicalLegacyManager>();

function canonicalManager(entry: Entry, options: ShimOptions | undefined, ctx: unknown, mode?: unknown, shared = false): CanonicalLegacyManager {
  const hub = resolveHub(options);
  if (isLegacyContext(ctx)) return new CanonicalLegacyManager(hub, entry.record, ctx, typeof mode === 'string' ? mode : 'unified');
  if (!shared) return new CanonicalLegacyManager(hub, entry.record, undefined, typeof mode === 'string' ? mode : 'unified');
  let m = unscopedByHub.get(hub);
  if (!m) unscopedByHub.set(hub, (m = new CanonicalLegacyManager(hub, undefined)));
  return m;
}

function shadowOf(entry: Entry, spec: LegacyEntrySpec, options: ShimOptions | undefined, legacy: () => object, canonical: (hubIsPrivate: boolean) => object): object {
  const primarySide = options?.shadowPrimary ?? 'legacy';
  const primary = primarySide === 'legacy' ? legacy() : canonical(false);
  const secondary = primarySide === 'legacy' ? canonical(true) : legacy();
  return createShadowManager(primary, secondary, {
    id: spec.id,
    symbol: spec.symbol,
    site: entry.site,
    primarySide,
    log: entry.runtime.shadow,
    record: entry.record,
  });
}

/**
 * Defines the legacy manager class name over the frozen implementation. The returned class:
 * canonical → a canonical-backed manager with the legacy API; legacy → an instance of `frozen`;
 * strict → throws DeprecatedApiError; shadow → see shadow.ts. `instanceof` holds across modes.
 */
export function defineLegacyManagerAlias<C extends AnyCtor>(spec: LegacyEntrySpec, frozen: C, options: ManagerAliasOptions = {}): C {
  validateSpec(spec, 'defineLegacyManagerAlias', options);
  const modeArg = options.modeArg ?? 0;
  const contextArg = options.contextArg ?? 1;
  const Alias = function (this: unknown, ...args: unknown[]): object {
    if (!new.target) throw new TypeError(`Class constructor ${spec.symbol} cannot be invoked without 'new'`);
    const entry = enter(spec, options, Alias);
    const legacy = () => Reflect.construct(frozen as unknown as AnyFn, args, new.target === Alias ? (frozen as unknown as AnyFn) : new.target) as object;
    let instance: object;
    switch (entry.mode) {
      case 'legacy':
        instance = legacy();
        break;
      case 'shadow':
        instance = shadowOf(entry, spec, options, () => Reflect.construct(frozen as unknown as AnyFn, args) as object, (priv) =>
          priv
            ? new CanonicalLegacyManager(createConnectionHub(), undefined, isLegacyContext(args[contextArg]) ? args[contextArg] : undefined)
            : canonicalManager(entry, options, args[contextArg], args[modeArg]),
        );
        break;
      default:
        instance = canonicalManager(entry, options, args[contextArg], args[modeArg]);
    }
    handedOut.add(instance);
    return instance;
  } as unknown as C & AnyFn;
  finishAlias(Alias, frozen, spec.symbol, (v) => handedOut.has(v) || isCanonicalBacked(v));
  return Alias;
}

/** Wraps a function that returns a manager (`getWebSocketManager(ctx?)`, legacy `createWebSocketManager(ctx)`). */
export function defineLegacyManagerFunction<F extends AnyFn>(spec: LegacyEntrySpec, frozen: F, options: ManagerFunctionOptions = {}): F {
  validateSpec(spec, 'defineLegacyManagerFunction', options);
  const contextArg = options.contextArg ?? 0;
  const routed = function (this: unknown, ...args: unknown[]): unknown {
    const entry = enter(spec, options, routed);
    return route(entry, spec, options, args[contextArg], () => frozen.apply(this, args));
  } as unknown as F;
  Object.defineProperty(routed, 'name', { value: spec.symbol.split('.').pop() });
  return routed;
}

/** Routing shared by functions and factory methods; a frozen result that is a Promise is routed when it settles. */
export function route(entry: Entry, spec: LegacyEntrySpec, options: ManagerFunctionOptions, ctx: unknown, callFrozen: () => unknown): unknown {
  const mode: ShimMode = entry.mode;
  if (mode === 'legacy') return note(callFrozen());
  if (mode === 'shadow') {
    const legacySide = (): object => {
      if ((options.shadowPrimary ?? 'legacy') === 'legacy') return callFrozen() as object;
      if (!options.frozenManager) throw new TypeError(`${spec.id}: shadow mode with a canonical primary needs options.frozenManager`);
      const m = new options.frozenManager() as { userContext?: unknown };
      if (isLegacyContext(ctx)) m.userContext = ctx;
      return m;
    };
    const canonicalSide = (priv: boolean): object =>
      priv ? new CanonicalLegacyManager(createConnectionHub(), undefined, isLegacyContext(ctx) ? ctx : undefined) : canonicalManager(entry, options, ctx, undefined, true);
    const primaryIsLegacy = (options.shadowPrimary ?? 'legacy') === 'legacy';
    if (primaryIsLegacy) {
      const legacyResult = callFrozen();
      const build = (primary: object) =>
        note(
          createShadowManager(primary, canonicalSide(true), { id: spec.id, symbol: spec.symbol, site: entry.site, primarySide: 'legacy', log: entry.runtime.shadow, record: entry.record }),
        );
      return legacyResult instanceof Promise ? legacyResult.then((m: object) => build(m)) : build(legacyResult as object);
    }
    return note(shadowOf(entry, spec, options, legacySide, canonicalSide));
  }
  return note(canonicalManager(entry, options, ctx, undefined, true));
}

function note<T>(value: T): T {
  if (typeof value === 'object' && value !== null) handedOut.add(value);
  return value;
}

/** Name, prototype chain, statics and Symbol.hasInstance so the alias behaves like the class it replaces. */
export function finishAlias(Alias: Function, frozen: Function, symbol: string, extra: (v: object) => boolean): void {
  Object.defineProperty(Alias, 'name', { value: symbol.split('.').pop() });
  Alias.prototype = Object.create(frozen.prototype, { constructor: { value: Alias, writable: true, configurable: true } });
  Object.setPrototypeOf(Alias, frozen); // statics of the frozen class resolve through the alias
  Object.defineProperty(Alias, Symbol.hasInstance, {
    value(this: Function, v: unknown): boolean {
      // Subclasses of the alias inherit this static: let them answer the ordinary way.
      if (this !== Alias) return Function.prototype[Symbol.hasInstance].call(this, v);
      if (typeof v !== 'object' || v === null) return false;
      return v instanceof frozen || extra(v);
    },
  });
}
