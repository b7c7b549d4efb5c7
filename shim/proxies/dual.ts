/**
 * Registration on both sides, so a runtime flip finds every connection where it is served.
 *
 * An object manager, an exported instance or a module of free functions keeps its connections in
 * one place per side: the canonical hub, or the frozen module's own state (its `Map` of sockets).
 * Without this module a socket registered while the id is canonical lives only on the hub, one
 * registered while it is legacy only in the module, so after a flip (an on-call ROLLBACK to legacy,
 * or a flip forward) each side sends only to the sockets that connected under it until clients
 * reconnect. The members the manifest marks as registering or unregistering a connection (a
 * table's `registration`: members whose templates call the hub's connect/disconnect, or named in
 * `registration`) therefore run on both sides in every mode: the serving side as always, then the
 * other side with stand-ins of the socket arguments that keep it from sending:
 *  - the legacy side's stand-in (one per real socket) acts on the real socket only while legacy
 *    serves the id (read at each send): its welcome frame, its broadcasts, its timers write nothing
 *    while canonical serves, and everything once a rollback makes it serve again. Listeners it adds
 *    fire only while it serves, except `close`, so it still forgets a socket that went away;
 *  - the canonical side's stand-in is made only for a socket first registered while canonical did
 *    not serve: it acts on the real socket except during such a muted registration call (a greeting
 *    `connect` writes is withheld) and, for the sockets the call was handed, until its promise
 *    settles (a greeting after an `await`). The muted template itself runs on a binding over the
 *    hub's muted view (muted.ts): `$hub`, `$hub.hub`, `$user(x)`, `$run(x)` deliver nothing, so the
 *    stand-in only withholds what the template writes to the socket itself. A socket the hub already holds as itself stays
 *    itself, so a muted unregistration finds it. The hub is shared with code that already calls
 *    canonical directly, which must keep reaching every socket in every mode of this id; a socket
 *    registered while canonical serves is the real one on the hub, as without this module.
 * Connection ids a registration returns are paired across the sides (connection-ids.ts).
 * Every later call of the id's entry points hands each side its own stand-in of a socket argument
 * (identity holds: a Map the legacy code keeps, the hub's socket lookup). A throw or rejection of
 * the non-serving side never reaches the caller: it is reported as a process warning
 * (`SsotShimRegistrationWarning`). Names come from the facade's table, never from here.
 */
import type { ConnectionHub } from '../../canonical/core.js';
import type { ShimMode } from '../modes.js';
import type { ShimRuntime } from '../runtime.js';
import { ConnectionIds } from './connection-ids.js';
import { carrierProxy, carriesSocket, isSocket, twinTarget } from './shadow.js';
import type { SocketLikeAny } from './shadow.js';

const LISTEN = new Set<PropertyKey>(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'addEventListener']);
const UNLISTEN = new Set<PropertyKey>(['off', 'removeListener', 'removeEventListener']);

/**
 * A stand-in of `real` that acts on it only while `live()` says so. Reads and writes of fields are
 * the real socket's; a method call while not live does nothing (returns undefined); a listener is
 * added to the real socket wrapped so it runs only while live, except a `close` listener (added as
 * is). The same wrapper is found again to remove it.
 */
function gatedSocket(real: SocketLikeAny, live: () => boolean): SocketLikeAny {
  const wrapped = new WeakMap<Function, Function>();
  const bound = new Map<PropertyKey, { original: unknown; fn: Function }>();
  let twin: SocketLikeAny;
  const methodOf = (prop: PropertyKey, v: Function): Function => {
    const hit = bound.get(prop);
    if (hit && hit.original === v) return hit.fn;
    let fn: Function;
    if (LISTEN.has(prop))
      fn = (event: unknown, listener: unknown, ...rest: unknown[]) => {
        let l = listener;
        if (typeof listener === 'function' && event !== 'close') {
          l = wrapped.get(listener);
          if (!l) wrapped.set(listener, (l = function (this: unknown, ...a: unknown[]) {
            if (live()) return (listener as Function).apply(this, a);
            return undefined;
          }));
        }
        v.call(real, event, l, ...rest);
        return twin;
      };
    else if (UNLISTEN.has(prop))
      fn = (event: unknown, listener: unknown, ...rest: unknown[]) => {
        v.call(real, event, (typeof listener === 'function' && wrapped.get(listener)) || listener, ...rest);
        return twin;
      };
    else fn = (...args: unknown[]) => (live() ? v.apply(real, args) : undefined);
    bound.set(prop, { original: v, fn });
    return fn;
  };
  twin = new Proxy(twinTarget(real), {
    get(_target, prop) {
      const v = Reflect.get(real, prop, real) as unknown;
      return typeof v === 'function' ? methodOf(prop, v) : v;
    },
    set: (_target, prop, value) => Reflect.set(real, prop, value, real),
    has: (_target, prop) => prop in real,
  });
  return twin;
}

/** The side whose state the facade's serving call reaches: legacy for legacy mode, and for shadow mode when legacy is the primary. */
export function legacyServes(mode: ShimMode, shadowPrimary: 'legacy' | 'canonical' | undefined): boolean {
  return mode === 'legacy' || (mode === 'shadow' && (shadowPrimary ?? 'legacy') === 'legacy');
}

/** A canonical stand-in and what holds it shut: the calls registering its socket while muted that have not settled. */
interface CanonicalTwin {
  twin: SocketLikeAny;
  holds: number;
}

/** Both sides' stand-ins of the sockets of one deprecation id in one runtime. */
export class DualRegistration {
  private readonly legacyTwins = new WeakMap<object, SocketLikeAny>();
  private readonly canonicalTwins = new WeakMap<object, CanonicalTwin>();
  private readonly carriers = { legacy: new WeakMap<object, object>(), canonical: new WeakMap<object, object>() };
  private readonly ids = new WeakMap<object, ConnectionIds>();
  private muted = 0;
  private servingLegacy = 0;
  /**
   * Canonical stand-ins whose socket has not closed: while there is none, the canonical side's
   * arguments are the caller's own (canonicalArgs changes nothing), so a canonical call needs no
   * look at its arguments (follow.ts's hot path; read, never written, outside).
   */
  openStandIns = 0;
  private readonly legacyLive: () => boolean;

  constructor(
    private readonly id: string,
    /** Whether the legacy side serves the id right now (read at each of its sends). */
    legacyServesNow: () => boolean,
  ) {
    this.legacyLive = () => this.servingLegacy > 0 || legacyServesNow();
  }

  /** The connection ids of one facade object (a manager, an object manager, a module): kept while it lives. */
  idsOf(owner: object): ConnectionIds {
    let ids = this.ids.get(owner);
    if (!ids) this.ids.set(owner, (ids = new ConnectionIds()));
    return ids;
  }

  private legacyTwin(real: SocketLikeAny): SocketLikeAny {
    let t = this.legacyTwins.get(real);
    if (!t) this.legacyTwins.set(real, (t = gatedSocket(real, this.legacyLive)));
    return t;
  }

  /**
   * Runs a call the legacy side serves although the id's mode is not legacy (a member the table
   * leaves to legacy code, `legacy`, called in canonical mode): its sends reach the real sockets.
   */
  legacyServing<R>(run: () => R): R {
    this.servingLegacy++;
    try {
      return run();
    } finally {
      this.servingLegacy--;
    }
  }

  /**
   * The canonical side's stand-in: made for a socket first seen in a muted call, else the real
   * socket. A socket the hub already holds as itself (registered while canonical served) stays
   * itself in a muted call too — typically its unregistration, which must find it by identity.
   * `held` collects the stand-ins a muted call uses, to hold them shut until it settles.
   */
  private canonicalTwin(real: SocketLikeAny, make: boolean, onHub: (s: SocketLikeAny) => boolean, held?: CanonicalTwin[]): SocketLikeAny {
    let t = this.canonicalTwins.get(real);
    if (!t && make && !onHub(real)) {
      const made: CanonicalTwin = { twin: real, holds: 0 };
      made.twin = gatedSocket(real, () => this.muted === 0 && made.holds === 0);
      this.canonicalTwins.set(real, (t = made));
      this.openStandIns++;
      // once the socket closed, nothing sent to it matters: canonical calls stop mapping arguments (a registration member still does)
      const once = (real as { once?: unknown }).once;
      if (typeof once === 'function') once.call(real, 'close', () => void this.openStandIns--);
    }
    if (t && held) held.push(t);
    return t?.twin ?? real;
  }

  private carrier(real: object & { socket: SocketLikeAny }, side: 'legacy' | 'canonical', twin: (s: SocketLikeAny) => SocketLikeAny): object {
    return carrierProxy(this.carriers[side], real, twin);
  }

  /**
   * The arguments as the legacy side sees them: each socket (or object carrying one in `socket`)
   * its gated stand-in, and each connection id the caller holds of the canonical side (`ids`) the
   * legacy side's id.
   */
  legacyArgs(args: readonly unknown[], ids?: ConnectionIds): unknown[] {
    const twin = (s: SocketLikeAny) => this.legacyTwin(s);
    const a = ids ? ids.translate('legacy', args) : args;
    return a.map((v) => (isSocket(v) ? twin(v) : carriesSocket(v) ? this.carrier(v, 'legacy', twin) : v));
  }

  /**
   * The arguments as the canonical side sees them: the stand-in the hub holds for a socket
   * registered muted, else the real socket; `muted` (a call while canonical does not serve) makes
   * a stand-in for a socket that has none yet and that the hub does not hold as itself (`onHub`).
   * Each connection id the caller holds of the legacy side (`ids`) becomes canonical's.
   * Not withheld: what a muted call writes to a socket the hub holds as itself.
   */
  canonicalArgs(args: readonly unknown[], muted: boolean, onHub: (s: SocketLikeAny) => boolean, ids?: ConnectionIds, held?: CanonicalTwin[]): unknown[] {
    const twin = (s: SocketLikeAny) => this.canonicalTwin(s, muted, onHub, held);
    const a = ids ? ids.translate('canonical', args) : args;
    return a.map((v) => {
      if (isSocket(v)) return twin(v);
      if (!carriesSocket(v)) return v;
      // a carrier whose socket has no stand-in (and gets none now) stays the real object (identity as without this module)
      if (twin(v.socket) === v.socket) return v;
      return this.carrier(v, 'canonical', (s) => this.canonicalTwins.get(s)?.twin ?? s);
    });
  }

  /**
   * Runs a canonical registration while canonical does not serve, on its stand-ins of `args`:
   * nothing it writes synchronously reaches a stand-in's socket, and nothing it writes to the
   * sockets it was handed reaches them until its promise settles (a greeting after an `await`).
   * Its result (for the ids), undefined if it threw.
   */
  mutedCanonical(args: readonly unknown[], onHub: (s: SocketLikeAny) => boolean, ids: ConnectionIds | undefined, run: (a: unknown[]) => unknown): unknown {
    const held: CanonicalTwin[] = [];
    const a = this.canonicalArgs(args, true, onHub, ids, held);
    for (const t of held) t.holds++;
    const release = (): void => {
      for (const t of held) t.holds--;
    };
    this.muted++;
    let result: unknown;
    try {
      result = this.quiet(() => run(a));
    } finally {
      this.muted--;
    }
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') (result as Promise<unknown>).then(release, release);
    else release();
    return result;
  }

  /** Runs the non-serving side's call: a throw or a rejection reported, never the caller's; its result (for the ids), undefined if it threw. */
  quiet(run: () => unknown): unknown {
    try {
      const r = run();
      if (typeof (r as PromiseLike<unknown> | undefined)?.then === 'function') (r as Promise<unknown>).then(undefined, (e: unknown) => this.report(e));
      return r;
    } catch (e) {
      this.report(e);
      return undefined;
    }
  }

  private report(error: unknown): void {
    process.emitWarning(
      `${this.id}: the registration on the side that does not serve failed: ${error instanceof Error ? error.message : String(error)} (the caller was served; after a flip this side may miss that connection)`,
      { type: 'SsotShimRegistrationWarning', code: 'ERR_SSOT_REGISTRATION' },
    );
  }
}

const duals = new WeakMap<ShimRuntime, Map<string, DualRegistration>>();

/**
 * The one DualRegistration of an id in a runtime: every entry point of the id (an object's members,
 * a module's functions) shares it, so a socket one registers is the same stand-in another removes.
 */
export function dualOf(runtime: ShimRuntime, id: string, legacyLive: () => boolean): DualRegistration {
  let byId = duals.get(runtime);
  if (!byId) duals.set(runtime, (byId = new Map()));
  let d = byId.get(id);
  if (!d) byId.set(id, (d = new DualRegistration(id, legacyLive)));
  return d;
}

/** The id's DualRegistration if an entry point with registration members made one (a function of the module that only sends, or looks a socket up). */
export function existingDual(runtime: ShimRuntime, id: string): DualRegistration | undefined {
  return duals.get(runtime)?.get(id);
}

/** For canonicalArgs: whether `hub` holds `s` itself (it was registered while canonical served). */
export const heldBy =
  (hub: ConnectionHub) =>
  (s: SocketLikeAny): boolean =>
    hub.getConnectionIdBySocket(s as never) !== undefined;
