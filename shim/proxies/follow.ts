/**
 * A manager that follows the id's mode at each call: what a legacy class alias (`new Manager(…)`)
 * and a manager function or factory (`createManager(ctx)`, `Factory.getInstance()`) hand out.
 *
 * Such a manager is often long-lived (made at boot, or at a socket's connection and kept for its
 * life), so a mode read once at its construction would keep serving the side it was made under
 * after a flip: an on-call ROLLBACK would not reach the users it serves. It therefore stands for two
 * objects — the canonical-mode object built from the manifest's table (on the hub) and the frozen
 * legacy object (the binding's `$legacy`, the same one) — and every member read serves the side of
 * the mode at that moment: canonical → the table's member; legacy → the frozen object's (methods
 * bound to it); shadow → one shadow object per manager (shadow.ts: the primary serves over the real
 * sockets, the other side runs against capturing ones), built at the first shadow read; strict →
 * DeprecatedApiError at each read (counted per call site as `<class>#<member>`).
 * No Proxy on the canonical path: the follower's prototype has a dispatcher for every member the
 * canonical object defines, which reads the cached mode (re-read only when a source changed,
 * `runtime.modes.version`) and runs the table's template on the binding itself (templated.ts
 * DirectCall: the count on the site's record and the template's checks, no second method frame, the
 * arguments by position up to four, so no rest array or `apply` per call); members only the frozen object has (fields
 * its constructor sets, a subclass's methods) are found through a Proxy at the end of the chain.

 * The table's `registration` members run on both sides in every mode (dual.ts), as for an object
 * manager, an exported instance and free functions: the side that does not serve records the
 * socket through stand-ins that never write to it, so after a flip the other side has every
 * connection. Without registration members a flip still changes the serving side, but each side
 * keeps only the connections registered while it served.
 * Names come from the table and the frozen object, never from here.
 */
import type { ConnectionHub } from '../../canonical/core.js';
import type { ShimRuntime } from '../runtime.js';
import { dualOf, heldBy, legacyServes } from './dual.js';
import type { DualRegistration } from './dual.js';
import type { ConnectionIds } from './connection-ids.js';
import type { SocketLikeAny } from './shadow.js';
import type { ShimMode } from '../modes.js';
import { enter, modeOf } from './entry.js';
import type { LegacyEntrySpec, ShimOptions } from './entry.js';
import { BINDING, directCallOf, mutedObject } from './templated.js';
import type { CanonicalBinding, CanonicalTable } from './templated.js';

export interface FollowParts {
  /** The entry point that made the manager: strict errors and counts name `<className>#<member>` under its id. */
  spec: LegacyEntrySpec;
  className: string;
  options: ShimOptions;
  /** The runtime whose modes it follows (the one its construction read). */
  runtime: ShimRuntime;
  table: CanonicalTable<object>;
  /** The canonical-mode object built from the table: the table's members run on it; its binding's hub is `hub`. */
  canonical: object;
  hub: ConnectionHub;
  /** The frozen legacy object behind it (made once, on first use; the binding's `$legacy`). */
  legacy: () => object;
  /** The shadow object (made once, at the first read in shadow mode). */
  shadow: () => object;
  /** What `instanceof` walks after the follower's own prototype: the frozen class's (or the subclass's) prototype. */
  chain: object;
}

interface TableFacts {
  registration: ReadonlySet<string>;
  templated: ReadonlySet<string>;
  legacyServed: ReadonlySet<string>;
}
const facts = new WeakMap<object, TableFacts>();
function factsOf(table: CanonicalTable<object>): TableFacts {
  let f = facts.get(table);
  if (!f) {
    const templated = new Set(Object.keys(table.methods ?? {}));
    f = {
      registration: new Set(table.registration ?? []),
      templated,
      legacyServed: new Set((table.legacy ?? []).filter((k) => !templated.has(k))),
    };
    facts.set(table, f);
  }
  return f;
}

/** The manager handed out: an object of its own whose prototype dispatches each member by the mode (followPrototype). */
export function followingManager(p: FollowParts): object {
  const state = new FollowState(p);
  const follower = Object.create(followPrototype(Object.getPrototypeOf(p.canonical) as object, p.chain, factsOf(p.table))) as object;
  Object.defineProperty(follower, FOLLOW, { value: state });
  return follower;
}

const FOLLOW = Symbol('ssot-migrate.shim.follow');

const stateOf = (o: unknown): FollowState | undefined => (typeof o === 'object' && o !== null ? ((o as Record<symbol, unknown>)[FOLLOW] as FollowState | undefined) : undefined);

/**
 * One follower's state, read by its prototype's dispatchers. A class, not closures: a construction
 * allocates this one object (the bench's construction budget is 20 µs, and closures made per
 * construction cost allocation, collection and tsx's name helper each).
 */
class FollowState {
  readonly canonical: object;
  /** The canonical object's binding (fixed at its construction): what a templated member's direct call runs on. */
  readonly binding: CanonicalBinding;
  /** No registration members: canonical calls are the table's own, unwrapped. */
  readonly plain: boolean;
  private readonly facts: TableFacts;
  private readonly dual: DualRegistration | undefined;
  /** The connection ids this manager's registrations returned on each side (with registration members). */
  private readonly ids: ConnectionIds | undefined;
  private readonly modes: ShimRuntime['modes'];
  private seen = -1;
  private mode: ShimMode = 'canonical';
  private shadowMade: object | undefined;
  private cache: WeakMap<object, Map<string, { fn: Function; w: Function }>> | undefined;
  private held: ((s: SocketLikeAny) => boolean) | undefined;

  constructor(private readonly p: FollowParts) {
    this.canonical = p.canonical;
    this.binding = (p.canonical as Record<symbol, CanonicalBinding>)[BINDING]!;
    this.facts = factsOf(p.table);
    this.modes = p.runtime.modes;
    const { spec, options, runtime } = p;
    this.dual = this.facts.registration.size === 0 ? undefined : dualOf(runtime, spec.id, () => legacyServes(modeOf(spec.id, options, runtime), options.shadowPrimary));
    this.plain = this.dual === undefined;
    this.ids = this.dual?.idsOf(this);
  }

  /**
   * Whether a canonical call of a member that is neither a registration nor served by legacy code
   * may go to the table's member as it is: no socket has a canonical stand-in open and the caller
   * holds no id of the legacy side, so the arguments need no look (the hot path).
   */
  asIs(): boolean {
    return this.dual === undefined || (this.dual.openStandIns === 0 && this.ids!.held.legacy === 0);
  }

  /** For canonicalArgs: whether the hub holds a socket as itself (made once per follower, on first use). */
  private get onHub(): (s: SocketLikeAny) => boolean {
    return (this.held ??= heldBy(this.p.hub));
  }

  /** The id's mode now: re-read only when a source changed since the last read (one comparison per call). */
  current(): ShimMode {
    if (this.modes.version !== this.seen) {
      this.seen = this.modes.version;
      this.mode = modeOf(this.p.spec.id, this.p.options, this.p.runtime);
    }
    return this.mode;
  }

  private get legacyPrimary(): boolean {
    return (this.p.options.shadowPrimary ?? 'legacy') === 'legacy';
  }

  /** The canonical binding while canonical serves (an adapter made now unwraps to canonical calls), else none. */
  bindingNow(): unknown {
    const mode = this.current();
    return mode === 'canonical' || (mode === 'shadow' && !this.legacyPrimary) ? (this.canonical as Record<symbol, unknown>)[BINDING] : undefined;
  }

  private side(mode: ShimMode): object {
    return mode === 'canonical' ? this.canonical : mode === 'legacy' ? this.p.legacy() : (this.shadowMade ??= this.p.shadow());
  }

  /** Strict: counted per call site under `<class>#<member>`, then DeprecatedApiError. */
  private strict(key: PropertyKey, above: Function): never {
    enter({ ...this.p.spec, symbol: `${this.p.className}#${String(key)}` }, this.p.options, above);
    throw new Error('unreachable: strict mode throws in enter');
  }

  /**
   * A canonical call with nothing to hand a stand-in of and nothing to run on the other side (not a
   * registration member, not one legacy code serves, no argument to map): the table's member as it is.
   */
  plainCall(key: string): boolean {
    return !this.facts.registration.has(key) && !this.facts.legacyServed.has(key) && this.asIs();
  }

  call(key: string, args: unknown[], canonicalMethod: Function, above: Function): unknown {
    const mode = this.current();
    if (mode === 'strict') return this.strict(key, above);
    if (mode === 'canonical') {
      if (this.plain || this.plainCall(key)) return canonicalMethod.apply(this.canonical, args) as unknown;
      return this.method(this.canonical, key, canonicalMethod).apply(undefined, args) as unknown;
    }
    const side = this.side(mode);
    const fn = Reflect.get(side, key, side) as unknown;
    if (typeof fn !== 'function') throw new TypeError(`${this.p.className}.${key} is not a function on the ${mode} side`);
    return this.method(side, key, fn as Function).apply(undefined, args) as unknown;
  }

  read(key: PropertyKey, mode: ShimMode, above: Function): unknown {
    if (mode === 'strict') return this.strict(key, above);
    const side = this.side(mode);
    const value = Reflect.get(side, key, side) as unknown;
    return typeof value === 'function' && typeof key === 'string' && key !== 'constructor' ? this.method(side, key, value as Function) : value;
  }

  write(key: PropertyKey, value: unknown, mode: ShimMode, above: Function): boolean {
    if (mode === 'strict') return this.strict(key, above);
    const side = this.side(mode);
    return Reflect.set(side, key, value, side);
  }

  /** A method read off a serving object, bound to it and wrapped for registration on both sides (stable per object and member). */
  private method(side: object, key: string, fn: Function): Function {
    this.cache ??= new WeakMap();
    let byKey = this.cache.get(side);
    if (!byKey) this.cache.set(side, (byKey = new Map()));
    const hit = byKey.get(key);
    if (hit && hit.fn === fn) return hit.w;
    const w = this.wrap(side, key, fn);
    Object.defineProperty(w, 'name', { value: key });
    byKey.set(key, { fn, w });
    return w;
  }

  private wrap(side: object, key: string, fn: Function): Function {
    const d = this.dual;
    const ids = this.ids;
    const { registration, legacyServed } = this.facts;
    const registers = registration.has(key);
    if (side === this.canonical) {
      // only with registration members (else the canonical method is called as it is)
      if (legacyServed.has(key)) return (...args: unknown[]) => d!.legacyServing(() => fn.apply(side, d!.legacyArgs(args, ids)) as unknown);
      return (...args: unknown[]) => {
        const result = fn.apply(side, d!.canonicalArgs(args, false, this.onHub, ids)) as unknown;
        if (registers) ids!.settle('canonical', args, result, this.alsoLegacy(d!, key, args));
        return result;
      };
    }
    if (!d) return (...args: unknown[]) => fn.apply(side, args) as unknown;
    if (side !== this.shadowMade) {
      return (...args: unknown[]) => {
        const result = fn.apply(side, d.legacyArgs(args, ids)) as unknown;
        if (registers) ids!.settle('legacy', args, result, this.alsoCanonical(d, key, args));
        return result;
      };
    }
    // shadow: the shadow object serves as before (its primary over the real sockets); a registration
    // also reaches the real object of the side that is not the primary, for after a flip
    const legacyPrimary = this.legacyPrimary;
    return (...args: unknown[]) => {
      const result = fn.apply(side, legacyPrimary ? d.legacyArgs(args, ids) : d.canonicalArgs(args, false, this.onHub, ids)) as unknown;
      if (registers) ids!.settle(legacyPrimary ? 'legacy' : 'canonical', args, result, legacyPrimary ? this.alsoCanonical(d, key, args) : this.alsoLegacy(d, key, args));
      return result;
    };
  }

  /** Runs a registration member on the canonical object while canonical does not serve: muted, with its stand-ins. Its result (for the ids). */
  private alsoCanonical(d: DualRegistration, key: string, args: unknown[]): unknown {
    if (!this.facts.templated.has(key)) return undefined;
    const canon = this.canonical as Record<string, Function>;
    return d.mutedCanonical(args, this.onHub, this.ids, (a) => canon[key]!.apply(mutedObject(canon), a));
  }

  /** Runs a registration member on the frozen object while legacy does not serve: its stand-ins never write. Its result (for the ids). */
  private alsoLegacy(d: DualRegistration, key: string, args: unknown[]): unknown {
    const a = d.legacyArgs(args, this.ids);
    return d.quiet(() => {
      const legacy = this.p.legacy() as Record<string, Function>;
      return legacy[key]!.apply(legacy, a);
    });
  }
}

/**
 * The prototype of the followers of one canonical-mode prototype (one table, class and id): every
 * member the canonical object defines (the table's, the class's) becomes a dispatcher that runs the
 * canonical member when canonical serves — one read of the cached mode, no Proxy on the hot path —
 * and otherwise asks the follower's state. Members only the legacy object has (fields its
 * constructor sets, a subclass's methods) are found through a Proxy at the end of the chain, which
 * reads the serving side while legacy or shadow serves (canonical: as a canonical object, nothing).
 * `instanceof` the frozen class (or the subclass constructed) holds, as for the frozen object.
 */
const followPrototypes = new WeakMap<object, WeakMap<object, object>>();
function followPrototype(canonicalProto: object, chain: object, facts: TableFacts): object {
  let byChain = followPrototypes.get(canonicalProto);
  if (!byChain) followPrototypes.set(canonicalProto, (byChain = new WeakMap()));
  let proto = byChain.get(chain);
  if (proto) return proto;
  const restHandler: ProxyHandler<object> = {
    get(_target, key, receiver): unknown {
      // the state is an own property of each follower: on anything else (this prototype, an object made from it) there is none
      if (key === FOLLOW) return undefined;
      const st = stateOf(receiver);
      const mode = st?.current();
      if (!st || mode === 'canonical' || mode === 'strict') return Reflect.get(Object.prototype, key, receiver);
      return st.read(key, mode!, restHandler.get!);
    },
    set(_target, key, value, receiver): boolean {
      const st = stateOf(receiver);
      const mode = st?.current();
      if (!st || mode === 'canonical' || mode === 'strict') return Reflect.defineProperty(receiver as object, key, { value, writable: true, enumerable: true, configurable: true });
      return st.write(key, value, mode!, restHandler.set!);
    },
  };
  const rest = new Proxy(Object.create(chain) as object, restHandler);
  proto = Object.create(rest) as object;
  // the canonical binding (bindingOf), only while canonical serves: an adapter made then unwraps to canonical calls
  Object.defineProperty(proto, BINDING, {
    get(this: unknown): unknown {
      return stateOf(this)?.bindingNow();
    },
    configurable: true,
  });
  for (const key of Reflect.ownKeys(canonicalProto)) {
    const d = Object.getOwnPropertyDescriptor(canonicalProto, key)!;
    if (key === BINDING) continue;
    if (typeof key === 'symbol' || key === 'constructor') {
      Object.defineProperty(proto, key, d);
      continue;
    }
    if (typeof d.value === 'function') {
      const canonicalMethod = d.value as Function;
      // a registration member, or one legacy code serves, always goes through the state (both sides, stand-ins)
      const special = facts.registration.has(key) || facts.legacyServed.has(key);
      // a templated member: in canonical mode its template runs on the binding directly (no second method frame)
      const direct = directCallOf(canonicalMethod);
      // Arguments by position, not a rest array (the common arities allocate nothing); `arguments.length` keeps the count exact.
      const dispatch = function (this: unknown, a0?: unknown, a1?: unknown, a2?: unknown, a3?: unknown): unknown {
        const st = stateOf(this);
        const n = arguments.length;
        if (st !== undefined && st.current() === 'canonical' && (st.plain || (!special && st.asIs()))) {
          if (direct !== undefined && n <= 4) return direct(st.binding, n, a0, a1, a2, a3, undefined);
          return canonicalMethod.apply(st.canonical, arguments) as unknown;
        }
        const args = Array.from(arguments);
        if (st === undefined) return canonicalMethod.apply(this, args) as unknown;
        return st.call(key, args, canonicalMethod, dispatch);
      };
      Object.defineProperty(dispatch, 'name', { value: key });
      Object.defineProperty(dispatch, 'length', { value: 0 }); // as the rest-parameter dispatcher it replaces
      Object.defineProperty(proto, key, { value: dispatch, writable: true, configurable: true });
      continue;
    }
    const get = function (this: unknown): unknown {
      const st: FollowState | undefined = stateOf(this);
      const mode = st?.current();
      if (!st || mode === 'canonical') return d.get?.call(st ? st.canonical : this);
      return st.read(key, mode!, get);
    };
    const set = function (this: unknown, value: unknown): void {
      const st: FollowState | undefined = stateOf(this);
      const mode: ShimMode | undefined = st?.current();
      if (!st || mode === 'canonical') {
        d.set?.call(st ? st.canonical : this, value);
        return;
      }
      st.write(key, value, mode!, set);
    };
    Object.defineProperty(proto, key, { get, set, configurable: true });
  }
  byChain.set(chain, proto);
  return proto;
}
