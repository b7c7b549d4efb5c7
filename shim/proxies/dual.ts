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
 *    `connect` writes synchronously is withheld). A socket the hub already holds as itself stays
 *    itself, so a muted unregistration finds it. The hub is shared with code that already calls
 *    canonical directly, which must keep reaching every socket in every mode of this id; a socket
 *    registered while canonical serves is the real one on the hub, as without this module.
 * Every later call of the id's entry points hands each side its own stand-in of a socket argument
 * (identity holds: a Map the legacy code keeps, the hub's socket lookup). A throw or rejection of
 * the non-serving side never reaches the caller: it is reported as a process warning
 * (`SsotShimRegistrationWarning`). Names come from the facade's table, never from here.
 */
import type { ConnectionHub } from '../../canonical/core.js';
import type { ShimMode } from '../modes.js';
import type { ShimRuntime } from '../runtime.js';
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

/** Both sides' stand-ins of the sockets of one deprecation id in one runtime. */
export class DualRegistration {
  private readonly legacyTwins = new WeakMap<object, SocketLikeAny>();
  private readonly canonicalTwins = new WeakMap<object, SocketLikeAny>();
  private readonly carriers = { legacy: new WeakMap<object, object>(), canonical: new WeakMap<object, object>() };
  private muted = 0;
  private servingLegacy = 0;
  private readonly legacyLive: () => boolean;

  constructor(
    private readonly id: string,
    /** Whether the legacy side serves the id right now (read at each of its sends). */
    legacyServesNow: () => boolean,
  ) {
    this.legacyLive = () => this.servingLegacy > 0 || legacyServesNow();
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
   */
  private canonicalTwin(real: SocketLikeAny, make: boolean, onHub: (s: SocketLikeAny) => boolean): SocketLikeAny {
    let t = this.canonicalTwins.get(real);
    if (!t && make && !onHub(real)) this.canonicalTwins.set(real, (t = gatedSocket(real, () => this.muted === 0)));
    return t ?? real;
  }

  private carrier(real: object & { socket: SocketLikeAny }, side: 'legacy' | 'canonical', twin: (s: SocketLikeAny) => SocketLikeAny): object {
    return carrierProxy(this.carriers[side], real, twin);
  }

  /** The arguments as the legacy side sees them: each socket (or object carrying one in `socket`) its gated stand-in. */
  legacyArgs(args: readonly unknown[]): unknown[] {
    const twin = (s: SocketLikeAny) => this.legacyTwin(s);
    return args.map((a) => (isSocket(a) ? twin(a) : carriesSocket(a) ? this.carrier(a, 'legacy', twin) : a));
  }

  /**
   * The arguments as the canonical side sees them: the stand-in the hub holds for a socket
   * registered muted, else the real socket; `muted` (a call while canonical does not serve) makes
   * a stand-in for a socket that has none yet and that the hub does not hold as itself (`onHub`).
   * Not withheld: what a muted call writes to a socket the hub holds as itself.
   */
  canonicalArgs(args: readonly unknown[], muted: boolean, onHub: (s: SocketLikeAny) => boolean): unknown[] {
    const twin = (s: SocketLikeAny) => this.canonicalTwin(s, muted, onHub);
    return args.map((a) => {
      if (isSocket(a)) return twin(a);
      if (!carriesSocket(a)) return a;
      // a carrier whose socket has no stand-in (and gets none now) stays the real object (identity as without this module)
      if (twin(a.socket) === a.socket) return a;
      return this.carrier(a, 'canonical', (s) => this.canonicalTwins.get(s) ?? s);
    });
  }

  /** Runs a canonical registration while canonical does not serve: nothing it writes (synchronously) reaches a stand-in's socket. */
  mutedCanonical(run: () => unknown): void {
    this.muted++;
    try {
      this.quiet(run);
    } finally {
      this.muted--;
    }
  }

  /** Runs the non-serving side's call: its result is dropped, a throw or a rejection reported, never the caller's. */
  quiet(run: () => unknown): void {
    try {
      const r = run();
      if (typeof (r as PromiseLike<unknown> | undefined)?.then === 'function') (r as Promise<unknown>).then(undefined, (e: unknown) => this.report(e));
    } catch (e) {
      this.report(e);
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
