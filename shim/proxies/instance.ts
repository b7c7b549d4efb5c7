/**
 * A legacy instance a module builds and exports itself (`export const wsManager = new
 * WsManager()`, `module.exports = new WsManager()`): the object exists before any caller, so
 * unlike a class or a factory there is no construction to route. The facade exports a Proxy over
 * the frozen instance instead, and every member read is the entry point: the id's mode is read,
 * the caller's site counted (and warned once, strict throws), and the member is served by
 *  - legacy: the frozen instance itself (its methods bound to it, so its own `this.x` reads are
 *    not counted as uses);
 *  - canonical: the canonical-mode object of its class (the manifest's `classes[]` table) over
 *    that frozen instance (`$legacy` is it), one per hub, so state the templates keep in the hub
 *    (connections) is shared by every caller as the singleton's was;
 *  - shadow: one shadow object per instance (shadow.ts): the primary side serves, the other runs
 *    on a private hub (a fresh frozen object when legacy is the secondary), frames compared.
 * A flip takes effect at the next member read. `instanceof` still answers as the frozen object's.
 * Names come from the facade (the manifest and the code), never from here.
 */
import { createConnectionHub } from '../../canonical/core.js';
import type { ConnectionHub } from '../../canonical/core.js';
import { UnmappedMemberError } from '../errors.js';
import type { NoInference } from './type-compat.js';
import type { ShimRuntime } from '../runtime.js';
import { dualOf, heldBy, legacyServes } from './dual.js';
import type { DualRegistration } from './dual.js';
import { enter, modeOf, resolveHub, validateSpec } from './entry.js';
import type { Entry, LegacyEntrySpec, ShimOptions } from './entry.js';
import { legacyByDefault } from './manager.js';
import { createShadowManager } from './shadow.js';
import { CanonicalBinding, buildCanonicalObject, mutedObject } from './templated.js';
import type { CanonicalTable } from './templated.js';

export interface InstanceOptions<L> extends ShimOptions {
  /** The canonical-mode object of the instance's class (strangle writes it from `classes[]`). Absent: legacy by default. */
  canonical?: CanonicalTable<L>;
}

/** Keys that are protocol probes rather than uses (`await x`, printing, iteration): never counted, always the frozen object's. */
const PASS_THROUGH = new Set<PropertyKey>(['then', 'toJSON', 'inspect', 'constructor']);

// NoInference: the instance's type comes from the frozen instance alone; a JavaScript facade's table is `any` (checkJs), which would make it `any`
export function defineLegacyInstance<T extends object>(spec: LegacyEntrySpec, frozen: T, options: InstanceOptions<NoInference<T>> = {}): T {
  validateSpec(spec, 'defineLegacyInstance', options);
  if (typeof frozen !== 'object' || frozen === null) throw new TypeError(`defineLegacyInstance ${spec.id}: ${spec.symbol} is not an object`);
  const table = options.canonical as CanonicalTable<object> | undefined;
  const opts = legacyByDefault(options, table !== undefined);
  const Frozen = (frozen as { constructor?: Function }).constructor ?? Object;
  const className = Frozen.name || spec.symbol;
  const perHub = new WeakMap<ConnectionHub, object>();
  let shadow: object | undefined;
  const bound = new WeakMap<object, Map<PropertyKey, { fn: Function; b: Function; dual: DualRegistration | undefined }>>();

  const noTable = (mode: string): UnmappedMemberError =>
    new UnmappedMemberError(spec.id, `${spec.symbol} in ${mode} mode`, 'no canonical-mode object: the facade passes no member table (canonical) for its class');
  const canonicalOver = (hub: ConnectionHub, legacy: () => object): object => {
    if (!table) throw noTable('canonical');
    return buildCanonicalObject(spec.id, className, Frozen, table, new CanonicalBinding(hub, legacy), Frozen);
  };
  const canonicalFor = (hub: ConnectionHub): object => {
    let o = perHub.get(hub);
    if (!o) perHub.set(hub, (o = canonicalOver(hub, () => frozen)));
    return o;
  };
  const shadowFor = (entry: Entry): object => {
    if (!table) throw noTable('shadow');
    if (!shadow) {
      const legacyPrimary = (opts.shadowPrimary ?? 'legacy') === 'legacy';
      // the legacy side is the real instance only when it serves; as the secondary it runs on a fresh one (the real one holds the sockets)
      const primary = legacyPrimary ? frozen : canonicalFor(resolveHub(opts));
      const secondary = legacyPrimary ? canonicalOver(createConnectionHub(), () => Reflect.construct(Frozen, [])) : (Reflect.construct(Frozen, []) as object);
      shadow = createShadowManager(primary, secondary, { id: spec.id, symbol: spec.symbol, site: entry.site, primarySide: legacyPrimary ? 'legacy' : 'canonical', log: entry.runtime.shadow, record: entry.record });
    }
    return shadow;
  };
  /** The object that serves this read, by the mode the entry read. */
  const serving = (entry: Entry): object => (entry.mode === 'legacy' ? frozen : entry.mode === 'shadow' ? shadowFor(entry) : canonicalFor(resolveHub(opts)));

  // registration members run on both sides in every mode (dual.ts); with none, each mode's side alone holds its sockets
  const registration = new Set<string>(table?.registration ?? []);
  const templated = new Set(Object.keys(table?.methods ?? {}));
  const legacyServed = (key: string): boolean => !templated.has(key) && (table?.legacy ?? []).includes(key as never);
  const dualFor = (runtime: ShimRuntime): DualRegistration | undefined =>
    registration.size === 0 ? undefined : dualOf(runtime, spec.id, () => legacyServes(modeOf(spec.id, opts, runtime), opts.shadowPrimary));
  /** Runs a registration member on the object that does not serve, with its stand-ins (nothing it writes reaches a socket). */
  const alsoOn = (dual: DualRegistration, side: 'legacy' | 'canonical', key: string, args: unknown[]): unknown => {
    if (side === 'legacy') {
      const a = dual.legacyArgs(args, dual.idsOf(frozen));
      return dual.quiet(() => (Reflect.get(frozen, key, frozen) as Function).apply(frozen, a));
    }
    if (!templated.has(key)) return undefined;
    const canon = canonicalFor(resolveHub(opts)) as Record<string, Function>;
    return dual.mutedCanonical(args, heldBy(resolveHub(opts)), dual.idsOf(frozen), (a) => canon[key]!.apply(mutedObject(canon), a));
  };
  /**
   * With registration members, each method of the serving object is called with that side's
   * stand-ins of its socket arguments, and a registration member also runs on the other side.
   */
  const dualMethod = (dual: DualRegistration, obj: object, key: string, fn: Function): Function => {
    // the connection ids the instance's registrations returned on each side (connection-ids.ts)
    const ids = dual.idsOf(frozen);
    if (obj === frozen)
      return (...args: unknown[]) => {
        const result = fn.apply(frozen, dual.legacyArgs(args, ids)) as unknown;
        if (registration.has(key)) ids.settle('legacy', args, result, alsoOn(dual, 'canonical', key, args));
        return result;
      };
    if (obj !== shadow)
      return (...args: unknown[]) => {
        if (legacyServed(key)) return dual.legacyServing(() => fn.apply(obj, dual.legacyArgs(args, ids)) as unknown);
        const result = fn.apply(obj, dual.canonicalArgs(args, false, heldBy(resolveHub(opts)), ids)) as unknown;
        if (registration.has(key)) ids.settle('canonical', args, result, alsoOn(dual, 'legacy', key, args));
        return result;
      };
    // shadow: the shadow object serves as before (its primary over the real sockets); a registration
    // also reaches the real object of the side that is not the primary, muted, for after a flip
    const legacyPrimary = (opts.shadowPrimary ?? 'legacy') === 'legacy';
    return (...args: unknown[]) => {
      const result = fn.apply(obj, legacyPrimary ? dual.legacyArgs(args, ids) : dual.canonicalArgs(args, false, heldBy(resolveHub(opts)), ids)) as unknown;
      if (registration.has(key)) ids.settle(legacyPrimary ? 'legacy' : 'canonical', args, result, alsoOn(dual, legacyPrimary ? 'canonical' : 'legacy', key, args));
      return result;
    };
  };
  /** A method read off `obj`, bound to it (stable per object and member: `x.m === x.m`). */
  const bind = (obj: object, key: PropertyKey, value: unknown, dual: DualRegistration | undefined): unknown => {
    if (typeof value !== 'function') return value;
    let byKey = bound.get(obj);
    if (!byKey) bound.set(obj, (byKey = new Map()));
    const hit = byKey.get(key);
    if (hit && hit.fn === value && hit.dual === dual) return hit.b;
    const b = dual && typeof key === 'string' ? dualMethod(dual, obj, key, value as Function) : ((value as Function).bind(obj) as Function);
    byKey.set(key, { fn: value, b, dual });
    return b;
  };

  const handler: ProxyHandler<T> = {
    get(target, key) {
      if (typeof key === 'symbol' || PASS_THROUGH.has(key)) return Reflect.get(target, key, target);
      const entry = enter(spec, opts, handler.get!);
      const obj = serving(entry);
      if (entry.mode === 'canonical' && entry.record) entry.record.methodCalls++;
      return bind(obj, key, Reflect.get(obj, key, obj), dualFor(entry.runtime));
    },
    set(target, key, value) {
      if (typeof key === 'symbol') return Reflect.set(target, key, value, target);
      const entry = enter(spec, opts, handler.set!);
      const obj = serving(entry);
      return Reflect.set(obj, key, value, obj);
    },
  };
  return new Proxy(frozen, handler);
}
