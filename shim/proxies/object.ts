/**
 * An object manager: a legacy layer written as an object literal bound to a const (`export const
 * wsManager = { register(id, c) {…}, notify(id, p) {…} }`) over module-level state. There is no
 * class to construct and no construction to route, and only the frozen module holds the state
 * (its `Map` of sockets), so a second legacy object cannot be made. The facade exports a new
 * object with the same properties instead, and each member is an entry point of its own (read per
 * call, counted per call site under `symbol.member`, warned once, strict throws):
 *  - a method: canonical → the member of the canonical-mode object built from the manifest's
 *    table (`classes[]`) over the frozen object (`$legacy` is it; legacyMembers run on it, members
 *    with no template throw UnmappedMemberError — the rules of a class's canonical object);
 *    legacy → the frozen method called on the frozen object (its own `this.x` calls stay there,
 *    uncounted); shadow → the frozen method serves (only it holds the module's state) and a
 *    templated member also runs on the id's private hub with capturing twins of socket arguments,
 *    frames compared, as for a free function (shadowPrimary does not apply: the legacy side could
 *    not run against capturing sockets without storing them in the module's real state);
 *  - any other property (a field, a getter): read and written through an accessor — canonical →
 *    the canonical-mode object (its template, or the frozen value for legacyMembers, else
 *    UnmappedMemberError), legacy and shadow → the frozen object.
 * Names come from the frozen object and the facade's table, never from here.
 */
import type { ConnectionHub } from '../../canonical/core.js';
import { UnmappedMemberError } from '../errors.js';
import type { ShimRuntime } from '../runtime.js';
import { dualOf, heldBy, legacyServes } from './dual.js';
import type { DualRegistration } from './dual.js';
import { enter, modeOf, resolveHub, validateSpec } from './entry.js';
import type { LegacyEntrySpec, ShimOptions } from './entry.js';
import { legacyByDefault } from './manager.js';
import { privateShadowOf } from './shadow.js';
import { CanonicalBinding, buildCanonicalObject, mutedObject } from './templated.js';
import type { CanonicalTable } from './templated.js';
import type { NoInference } from './type-compat.js';

export interface ObjectOptions<L> extends ShimOptions {
  /** The object's members in canonical mode (strangle writes it from `classes[]`). Absent: legacy by default. */
  canonical?: CanonicalTable<L>;
}


// NoInference: the object's type comes from the frozen object alone (a JavaScript facade's table is `any`)
export function defineLegacyObject<T extends object>(spec: LegacyEntrySpec, frozen: T, options: ObjectOptions<NoInference<T>> = {}): T {
  validateSpec(spec, 'defineLegacyObject', options);
  if (typeof frozen !== 'object' || frozen === null) throw new TypeError(`defineLegacyObject ${spec.id}: ${spec.symbol} is not an object`);
  const table = options.canonical as CanonicalTable<object> | undefined;
  const opts = legacyByDefault(options, table !== undefined);
  const templated = new Set(Object.keys(table?.methods ?? {}));
  const perHub = new WeakMap<ConnectionHub, Record<PropertyKey, unknown>>();
  const noTable = (mode: string, key: string): UnmappedMemberError =>
    new UnmappedMemberError(spec.id, `${spec.symbol}.${key} in ${mode} mode`, 'no canonical-mode object: the facade passes no member table (canonical) for it');
  const canonicalOver = (hub: ConnectionHub): Record<PropertyKey, unknown> =>
    buildCanonicalObject(spec.id, spec.symbol, Object, table!, new CanonicalBinding(hub, () => frozen), Object, frozen) as Record<PropertyKey, unknown>;
  /** One canonical-mode object per hub: every caller shares the hub's state, as the literal's callers shared its module's. */
  const canonicalFor = (hub: ConnectionHub, key: string): Record<PropertyKey, unknown> => {
    if (!table) throw noTable('canonical', key);
    let o = perHub.get(hub);
    if (!o) perHub.set(hub, (o = canonicalOver(hub)));
    return o;
  };
  const legacy = frozen as Record<PropertyKey, unknown>;
  const facade: Record<PropertyKey, unknown> = {};

  // registration members run on both sides in every mode (dual.ts); with none, each mode's side alone holds its sockets
  const registration = new Set<string>(table?.registration ?? []);
  const legacyServed = (key: string): boolean => !templated.has(key) && (table?.legacy ?? []).includes(key as never);
  const dualFor = (runtime: ShimRuntime): DualRegistration | undefined =>
    registration.size === 0 ? undefined : dualOf(runtime, spec.id, () => legacyServes(modeOf(spec.id, opts, runtime), 'legacy'));

  /** Runs a registration member on the hub while canonical does not serve: muted, with its stand-ins. Its result (for the ids). */
  const alsoCanonical = (dual: DualRegistration, key: string, args: unknown[]): unknown => {
    if (!templated.has(key)) return undefined;
    const canon = canonicalFor(resolveHub(opts), key);
    return dual.mutedCanonical(args, heldBy(resolveHub(opts)), dual.idsOf(frozen), (a) => (canon[key] as Function).apply(mutedObject(canon), a));
  };

  const method = (key: string): Function => {
    const symbol = `${spec.symbol}.${key}`;
    const memberSpec = { ...spec, symbol };
    const registers = registration.has(key);
    const routed = function (this: unknown, ...args: unknown[]): unknown {
      const entry = enter(memberSpec, opts, routed);
      // the frozen member is read at each call: the legacy module may replace it
      const own = () => legacy[key] as Function;
      const dual = dualFor(entry.runtime);
      // the connection ids the object's registrations returned on each side: one object, one set (connection-ids.ts)
      const ids = dual?.idsOf(frozen);
      if (!dual) {
        if (entry.mode === 'legacy') return own().apply(frozen, args);
      } else if (entry.mode === 'legacy') {
        const result = own().apply(frozen, dual.legacyArgs(args, ids)) as unknown;
        if (registers) ids!.settle('legacy', args, result, alsoCanonical(dual, key, args));
        return result;
      } else if (entry.mode === 'canonical') {
        const canon = canonicalFor(resolveHub(opts), key);
        if (legacyServed(key)) return dual.legacyServing(() => own().apply(frozen, dual.legacyArgs(args, ids)) as unknown);
        const result = (canon[key] as Function).apply(canon, dual.canonicalArgs(args, false, heldBy(resolveHub(opts)), ids)) as unknown;
        if (registers) {
          const a = dual.legacyArgs(args, ids);
          ids!.settle('canonical', args, result, dual.quiet(() => own().apply(frozen, a)));
        }
        return result;
      }
      if (entry.mode !== 'shadow') {
        const canon = canonicalFor(resolveHub(opts), key);
        return (canon[key] as Function).apply(canon, args);
      }
      if (!table) throw noTable('shadow', key);
      // the legacy side serves shadow mode: it sees its stand-ins (live now), kept for after a flip
      const legacyArgs = dual ? dual.legacyArgs(args, ids) : args;
      // a member legacy code serves has nothing to compare: the frozen object alone serves it
      if (legacyServed(key)) return own().apply(frozen, legacyArgs);
      const s = privateShadowOf(entry.runtime, spec.id);
      let shadowSide = s.objects.get(frozen);
      if (!shadowSide) s.objects.set(frozen, (shadowSide = canonicalOver(s.hub)));
      const other = shadowSide as Record<PropertyKey, unknown>;
      const info = { id: spec.id, symbol, site: entry.site, primarySide: 'legacy' as const, log: entry.runtime.shadow, record: entry.record };
      const result = s.frames.call(
        key,
        info,
        legacyArgs,
        (a) => own().apply(frozen, a),
        (a) => (other[key] as Function).apply(other, a),
      );
      // and on the one hub, muted, so a flip to canonical finds the connection there
      if (dual && registers) ids!.settle('legacy', args, result, alsoCanonical(dual, key, args));
      return result;
    };
    Object.defineProperty(routed, 'name', { value: key });
    Object.defineProperty(routed, 'length', { value: (legacy[key] as Function).length });
    return routed;
  };

  const property = (key: string, enumerable: boolean): PropertyDescriptor => {
    const memberSpec = { ...spec, symbol: `${spec.symbol}.${key}` };
    const get = function (): unknown {
      const entry = enter(memberSpec, opts, get);
      if (entry.mode !== 'canonical') return Reflect.get(frozen, key, frozen);
      const canon = canonicalFor(resolveHub(opts), key);
      return Reflect.get(canon, key, canon);
    };
    const set = function (value: unknown): void {
      const entry = enter(memberSpec, opts, set);
      if (entry.mode !== 'canonical') {
        Reflect.set(frozen, key, value, frozen);
        return;
      }
      const canon = canonicalFor(resolveHub(opts), key);
      Reflect.set(canon, key, value, canon);
    };
    return { get, set, enumerable, configurable: true };
  };

  for (const key of Reflect.ownKeys(frozen)) {
    const d = Object.getOwnPropertyDescriptor(frozen, key)!;
    // symbol-keyed members are protocol hooks (iteration, inspection), not the manager's API: the frozen object's, uncounted
    if (typeof key === 'symbol') Object.defineProperty(facade, key, { get: () => legacy[key], enumerable: d.enumerable ?? false, configurable: true });
    else if ('value' in d && typeof d.value === 'function') Object.defineProperty(facade, key, { value: method(key), writable: true, enumerable: d.enumerable ?? false, configurable: true });
    else Object.defineProperty(facade, key, property(key, d.enumerable ?? false));
  }
  return facade as T;
}
