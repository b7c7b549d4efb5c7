/**
 * Shadow mode: one side (the primary) serves the caller over the real sockets; the other side
 * gets the same calls against capturing sockets that never send anything anywhere. After each
 * call the frames each side wrote are compared (volatile fields such as timestamps and sequence
 * numbers removed); a difference, or an error on only one side, is recorded as a mismatch. The
 * shadow side can never reach a real socket, so nothing is sent twice.
 */
import { createConnectionHub } from '../../canonical/core.js';
import type { ConnectionHub } from '../../canonical/core.js';
import type { CallSiteInfo } from '../call-site.js';
import type { ShimRuntime } from '../runtime.js';
import type { SiteRecord } from '../telemetry.js';

export interface ShadowMismatch {
  /** Epoch ms. */
  at: number;
  id: string;
  symbol: string;
  /** The method whose frames differed. */
  op: string;
  site: CallSiteInfo | undefined;
  primarySide: 'legacy' | 'canonical';
  /** Normalised frames per side, as `#<socket>:<json>`. */
  primary: string[];
  shadow: string[];
  /** Set when only one side threw. */
  error?: string;
}

/** Bounded store of mismatches plus listeners (dashboards, tests, alerting). */
export class ShadowLog {
  private readonly items: ShadowMismatch[] = [];
  private readonly listeners = new Set<(m: ShadowMismatch) => void>();
  total = 0;
  calls = 0;

  constructor(private readonly max = 200) {}

  record(m: ShadowMismatch): void {
    this.total++;
    this.items.push(m);
    if (this.items.length > this.max) this.items.shift();
    for (const l of this.listeners) {
      try {
        l(m);
      } catch {
        // a listener must not affect the call being shadowed
      }
    }
  }

  mismatches(): readonly ShadowMismatch[] {
    return this.items;
  }

  onMismatch(listener: (m: ShadowMismatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Keys whose values legitimately differ between implementations for the same logical frame (canonical's stream offset and epoch have no legacy counterpart). */
const VOLATILE_KEYS = new Set(['ts', 'timestamp', 'seq', 'offset', 'epoch']);

export function normaliseFrame(data: string): string {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return data;
  }
  return stableJson(value);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k]) => !VOLATILE_KEYS.has(k))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

export interface SocketLikeAny {
  send(data: unknown, ...rest: unknown[]): unknown;
  readonly readyState?: number;
  readonly bufferedAmount?: number;
  close?(code?: number, reason?: string): void;
}

export function isSocket(v: unknown): v is SocketLikeAny {
  return typeof v === 'object' && v !== null && typeof (v as SocketLikeAny).send === 'function';
}

/** An object (not itself a socket) whose `socket` field holds one: a connection record, or a framework's stream wrapper. */
export function carriesSocket(v: unknown): v is { socket: SocketLikeAny } {
  return typeof v === 'object' && v !== null && isSocket((v as { socket?: unknown }).socket);
}

/**
 * The stand-in for an object carrying a socket: a Proxy that is the real object in every respect but
 * its `socket`, which reads as `twin(socket)`. The same stand-in every time (kept in `made`), so legacy
 * code that stores it (a Set of connections) finds it again when a later call passes the same object.
 */
export function carrierProxy(made: WeakMap<object, object>, real: object, twin: (s: SocketLikeAny) => SocketLikeAny): object {
  let c = made.get(real);
  if (!c) {
    c = new Proxy(real, {
      get(target, prop) {
        const v = Reflect.get(target, prop, target) as unknown;
        return prop === 'socket' && isSocket(v) ? twin(v) : v;
      },
    });
    made.set(real, c);
  }
  return c;
}

const frameText = (data: unknown): string => normaliseFrame(typeof data === 'string' ? data : String(data));

/** Listener registrations a capturing socket passes to the real one: only `close`, so the shadow side can forget a socket that went away. */
const LISTEN = new Set(['on', 'once', 'addListener', 'addEventListener']);
/** What a capturing socket answers itself: it is always open, never backed up, and never acts on the real connection. */
const CAPTURED: Record<string, unknown> = { readyState: 1, bufferedAmount: 0 };

/**
 * A twin's proxy target: an empty object with the real socket's prototype, so `instanceof`
 * holds while the traps answer from the real socket (a frozen socket's own properties would
 * otherwise bind the traps to its values).
 */
export function twinTarget(real: SocketLikeAny): SocketLikeAny {
  return Object.create(Object.getPrototypeOf(real) as object | null) as SocketLikeAny;
}

export interface ShadowInfo {
  id: string;
  symbol: string;
  site: CallSiteInfo | undefined;
  primarySide: 'legacy' | 'canonical';
  log: ShadowLog;
  record: SiteRecord | undefined;
  now?: () => number;
}

/**
 * The frames both sides of one shadowed object (or module of functions) write, and the socket
 * twins that see them: the primary side gets each real socket behind a recorder (the socket
 * itself to every read, write and method — `on`, `ping`, own fields — with only `send` noted), the
 * shadow side a capturing twin that records `send` and never reaches the connection (its own
 * fields are its own; a `close` listener is the only thing passed through).
 */
export class ShadowFrames {
  private readonly primaryFrames: string[] = [];
  private readonly shadowFrames: string[] = [];
  private readonly socketNo = new WeakMap<object, number>();
  private readonly recorders = new WeakMap<object, SocketLikeAny>();
  private readonly captures = new WeakMap<object, SocketLikeAny>();
  private nextSocket = 0;

  private noOf(s: object): number {
    let n = this.socketNo.get(s);
    if (n === undefined) this.socketNo.set(s, (n = ++this.nextSocket));
    return n;
  }

  /** Primary side: the real socket, its sends noted. The same twin every time, so identity checks in the served code hold. */
  private recorder(real: SocketLikeAny): SocketLikeAny {
    let r = this.recorders.get(real);
    if (!r) {
      const n = this.noOf(real);
      const frames = this.primaryFrames;
      const bound = new Map<PropertyKey, unknown>();
      const send = (data: unknown, ...rest: unknown[]): unknown => {
        const result = real.send(data, ...rest);
        frames.push(`#${n}:${frameText(data)}`);
        return result;
      };
      r = new Proxy(twinTarget(real), {
        get(_target, prop) {
          if (prop === 'send') return send;
          const v = Reflect.get(real, prop, real) as unknown;
          if (typeof v !== 'function') return v;
          let b = bound.get(prop);
          if (!b || (b as { original?: unknown }).original !== v) bound.set(prop, (b = Object.assign((v as Function).bind(real), { original: v })));
          return b;
        },
        set: (_target, prop, value) => Reflect.set(real, prop, value, real),
        has: (_target, prop) => prop in real,
      });
      this.recorders.set(real, r);
    }
    return r;
  }

  /** Shadow side: records sends; reads the real socket's fields unless it set its own; its methods do nothing. */
  private capture(real: SocketLikeAny): SocketLikeAny {
    let c = this.captures.get(real);
    if (!c) {
      const n = this.noOf(real);
      const frames = this.shadowFrames;
      const own = new Map<PropertyKey, unknown>();
      const methods = new Map<PropertyKey, unknown>();
      let twin: SocketLikeAny;
      const method = (prop: PropertyKey): unknown => {
        let m = methods.get(prop);
        if (!m) {
          if (prop === 'send') m = (data: unknown) => void frames.push(`#${n}:${frameText(data)}`);
          else if (typeof prop === 'string' && LISTEN.has(prop))
            m = (event: unknown, listener: unknown) => {
              const register = (real as unknown as Record<string, unknown>)[prop];
              if (event === 'close' && typeof register === 'function') (register as Function).call(real, event, listener);
              return twin;
            };
          else m = () => undefined;
          methods.set(prop, m);
        }
        return m;
      };
      twin = new Proxy(twinTarget(real), {
        get(_target, prop) {
          if (own.has(prop)) return own.get(prop);
          if (typeof prop === 'string' && prop in CAPTURED) return CAPTURED[prop];
          const v = Reflect.get(real, prop, real) as unknown;
          return typeof v === 'function' ? method(prop) : v;
        },
        set(_target, prop, value) {
          own.set(prop, value);
          return true;
        },
        has: (_target, prop) => own.has(prop) || prop in real,
      });
      c = twin;
      this.captures.set(real, c);
    }
    return c;
  }

  /** Per side, the stand-in of each object that carries a socket in its `socket` field, made once (identity holds across calls). */
  private readonly carriers = { primary: new WeakMap<object, object>(), shadow: new WeakMap<object, object>() };

  /**
   * An object carrying a socket (`{ socket, connectionId }`, a framework's stream wrapper such as
   * @fastify/websocket's SocketStream): its carrierProxy with the side's twin as its `socket`.
   */
  private carrier(real: object, side: 'primary' | 'shadow'): object {
    return carrierProxy(this.carriers[side], real, (s) => (side === 'primary' ? this.recorder(s) : this.capture(s)));
  }

  private translate(args: readonly unknown[], side: 'primary' | 'shadow'): unknown[] {
    const twin = (s: SocketLikeAny) => (side === 'primary' ? this.recorder(s) : this.capture(s));
    return args.map((a) => (isSocket(a) ? twin(a) : carriesSocket(a) ? this.carrier(a, side) : a));
  }

  private compare(op: string, info: ShadowInfo, p0: number, s0: number, error?: string): void {
    const p = this.primaryFrames.splice(p0).sort();
    const s = this.shadowFrames.splice(s0).sort();
    info.log.calls++;
    if (error === undefined && p.length === s.length && p.every((f, i) => f === s[i])) return;
    this.record(op, info, p, s, error);
  }

  private record(op: string, info: ShadowInfo, p: string[], s: string[], error: string | undefined): void {
    info.log.record({
      at: (info.now ?? Date.now)(),
      id: info.id,
      symbol: info.symbol,
      op,
      site: info.site,
      primarySide: info.primarySide,
      primary: p,
      shadow: s,
      ...(error !== undefined ? { error } : {}),
    });
  }

  /**
   * One call on both sides: the primary serves (its result or error is the caller's), the shadow
   * side runs after it — after its promise settles when it returns one — and the frames each
   * wrote, or an error on one side only, are compared and recorded.
   */
  call(op: string, info: ShadowInfo, args: readonly unknown[], primary: (args: unknown[]) => unknown, shadow: (args: unknown[]) => unknown): unknown {
    const p0 = this.primaryFrames.length;
    const s0 = this.shadowFrames.length;
    let shadowResult: unknown;
    let shadowError: unknown;
    let shadowThrew = false;
    const runShadow = () => {
      try {
        shadowResult = shadow(this.translate(args, 'shadow'));
      } catch (e) {
        shadowThrew = true;
        shadowError = e;
      }
    };
    const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
    let result: unknown;
    try {
      result = primary(this.translate(args, 'primary'));
    } catch (primaryError) {
      runShadow();
      if (shadowResult instanceof Promise) shadowResult.catch(() => undefined);
      this.compare(op, info, p0, s0, shadowThrew ? undefined : `only primary threw: ${message(primaryError)}`);
      throw primaryError;
    }
    if (!(result instanceof Promise)) {
      runShadow();
      this.compare(op, info, p0, s0, shadowThrew ? `only shadow threw: ${message(shadowError)}` : undefined);
      // a synchronous primary is not held back for the shadow's promise: its frames were compared
      // as written so far, and a later rejection is a mismatch of its own (frames written after an
      // await on the shadow side are not compared)
      if (shadowResult instanceof Promise) shadowResult.then(undefined, (e: unknown) => this.record(op, info, [], [], `only shadow threw: ${message(e)}`));
      return result;
    }
    return result.then(
      async (value) => {
        runShadow();
        let err = shadowThrew ? `only shadow threw: ${message(shadowError)}` : undefined;
        if (!shadowThrew && shadowResult instanceof Promise) {
          try {
            await shadowResult;
          } catch (e) {
            err = `only shadow threw: ${message(e)}`;
          }
        }
        this.compare(op, info, p0, s0, err);
        return value;
      },
      async (primaryError: unknown) => {
        runShadow();
        let bothThrew = shadowThrew;
        if (!shadowThrew && shadowResult instanceof Promise) bothThrew = await shadowResult.then(() => false, () => true);
        this.compare(op, info, p0, s0, bothThrew ? undefined : `only primary threw: ${message(primaryError)}`);
        throw primaryError;
      },
    );
  }
}

/**
 * Returns an object that looks like `primary` (a Proxy forwarding everything) whose methods also
 * run on `secondary` with every socket argument replaced by a capturing twin.
 */
export function createShadowManager<T extends object>(primary: T, secondary: object, info: ShadowInfo): T {
  const frames = new ShadowFrames();
  const wrappers = new Map<PropertyKey, Function>();
  const wrap = (name: string, fn: Function): Function =>
    function shadowed(this: unknown, ...args: unknown[]) {
      if (info.record) info.record.methodCalls++;
      return frames.call(
        name,
        info,
        args,
        (a) => fn.apply(primary, a),
        (a) => {
          const other = (secondary as Record<string, unknown>)[name];
          if (typeof other !== 'function') throw new TypeError(`shadow side has no method ${name}`);
          return other.apply(secondary, a);
        },
      );
    };

  return new Proxy(primary, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function' || typeof prop !== 'string' || prop === 'constructor') return value;
      let w = wrappers.get(prop);
      if (!w) wrappers.set(prop, (w = wrap(prop, value)));
      return w;
    },
    set(target, prop, value) {
      // Keep both sides bound to the same context (legacy code rebinds userContext).
      try {
        Reflect.set(secondary, prop, value, secondary);
      } catch {
        // the shadow side may refuse (canonical refuses cross-user rebinding); the primary decides
      }
      return Reflect.set(target, prop, value, target);
    },
  });
}

/**
 * The shadow side of one deprecation id in one runtime, for entry points with no object of their own
 * to shadow (free functions, an object manager's members): a private hub, the frames both sides
 * wrote (a socket one call registers receives what a later call sends), and the canonical-mode
 * object built per frozen object over that hub.
 */
export interface PrivateShadow {
  hub: ConnectionHub;
  frames: ShadowFrames;
  objects: WeakMap<object, object>;
}

const privateShadows = new WeakMap<ShimRuntime, Map<string, PrivateShadow>>();

export function privateShadowOf(runtime: ShimRuntime, id: string): PrivateShadow {
  let byId = privateShadows.get(runtime);
  if (!byId) privateShadows.set(runtime, (byId = new Map()));
  let s = byId.get(id);
  if (!s) byId.set(id, (s = { hub: createConnectionHub(), frames: new ShadowFrames(), objects: new WeakMap() }));
  return s;
}
