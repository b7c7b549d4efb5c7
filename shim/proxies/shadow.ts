/**
 * Shadow mode: one side (the primary) serves the caller over the real sockets; the other side
 * gets the same calls against capturing sockets that never send anything anywhere. After each
 * call the frames each side wrote are compared (volatile fields such as timestamps and sequence
 * numbers removed); a difference, or an error on only one side, is recorded as a mismatch. The
 * shadow side can never reach a real socket, so nothing is sent twice.
 */
import type { CallSiteInfo } from '../call-site.js';
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

interface SocketLikeAny {
  send(data: string): void;
  readonly readyState?: number;
  readonly bufferedAmount?: number;
  close?(code?: number, reason?: string): void;
}

function isSocket(v: unknown): v is SocketLikeAny {
  return typeof v === 'object' && v !== null && typeof (v as SocketLikeAny).send === 'function';
}

function isConnection(v: unknown): v is { socket: SocketLikeAny; connectionId: string } {
  return typeof v === 'object' && v !== null && isSocket((v as { socket?: unknown }).socket) && typeof (v as { connectionId?: unknown }).connectionId === 'string';
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
 * Returns an object that looks like `primary` (a Proxy forwarding everything) whose methods also
 * run on `secondary` with every socket argument replaced by a capturing twin.
 */
export function createShadowManager<T extends object>(primary: T, secondary: object, info: ShadowInfo): T {
  const primaryFrames: string[] = [];
  const shadowFrames: string[] = [];
  const socketNo = new WeakMap<object, number>();
  const recorders = new WeakMap<object, SocketLikeAny>();
  const captures = new WeakMap<object, SocketLikeAny>();
  let nextSocket = 0;
  const noOf = (s: object) => {
    let n = socketNo.get(s);
    if (n === undefined) socketNo.set(s, (n = ++nextSocket));
    return n;
  };

  /** Primary side: forwards to the real socket and notes what was sent. */
  const recorder = (real: SocketLikeAny): SocketLikeAny => {
    let r = recorders.get(real);
    if (!r) {
      const n = noOf(real);
      r = {
        send(data: string) {
          real.send(data);
          primaryFrames.push(`#${n}:${normaliseFrame(data)}`);
        },
        get readyState() {
          return real.readyState;
        },
        get bufferedAmount() {
          return real.bufferedAmount;
        },
        close(code?: number, reason?: string) {
          real.close?.(code, reason);
        },
      };
      recorders.set(real, r);
    }
    return r;
  };
  /** Shadow side: an always-open socket that only records. */
  const capture = (real: SocketLikeAny): SocketLikeAny => {
    let c = captures.get(real);
    if (!c) {
      const n = noOf(real);
      c = {
        send(data: string) {
          shadowFrames.push(`#${n}:${normaliseFrame(data)}`);
        },
        readyState: 1,
        bufferedAmount: 0,
        close() {},
      };
      captures.set(real, c);
    }
    return c;
  };
  const translate = (args: unknown[], side: (s: SocketLikeAny) => SocketLikeAny) =>
    args.map((a) => (isConnection(a) ? { ...a, socket: side(a.socket) } : isSocket(a) ? side(a) : a));

  const compare = (op: string, p0: number, s0: number, error?: string) => {
    const p = primaryFrames.splice(p0).sort();
    const s = shadowFrames.splice(s0).sort();
    info.log.calls++;
    if (error === undefined && p.length === s.length && p.every((f, i) => f === s[i])) return;
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
  };

  const wrappers = new Map<PropertyKey, Function>();
  const wrap = (name: string, fn: Function): Function => {
    return function shadowed(this: unknown, ...args: unknown[]) {
      if (info.record) info.record.methodCalls++;
      const p0 = primaryFrames.length;
      const s0 = shadowFrames.length;
      const other = (secondary as Record<string, unknown>)[name];
      let shadowResult: unknown;
      let shadowError: unknown;
      let shadowThrew = false;
      const runShadow = () => {
        try {
          if (typeof other !== 'function') throw new TypeError(`shadow side has no method ${name}`);
          shadowResult = other.apply(secondary, translate(args, capture));
        } catch (e) {
          shadowThrew = true;
          shadowError = e;
        }
      };
      let result: unknown;
      try {
        result = fn.apply(primary, translate(args, recorder));
      } catch (primaryError) {
        runShadow();
        compare(name, p0, s0, shadowThrew ? undefined : `only primary threw: ${(primaryError as Error)?.message}`);
        throw primaryError;
      }
      if (!(result instanceof Promise)) {
        runShadow();
        if (shadowResult instanceof Promise) shadowResult.catch(() => undefined);
        compare(name, p0, s0, shadowThrew ? `only shadow threw: ${(shadowError as Error)?.message}` : undefined);
        return result;
      }
      return result.then(
        async (value) => {
          runShadow();
          let err = shadowThrew ? `only shadow threw: ${(shadowError as Error)?.message}` : undefined;
          if (!shadowThrew && shadowResult instanceof Promise) {
            try {
              await shadowResult;
            } catch (e) {
              err = `only shadow threw: ${(e as Error)?.message}`;
            }
          }
          compare(name, p0, s0, err);
          return value;
        },
        async (primaryError: unknown) => {
          runShadow();
          let bothThrew = shadowThrew;
          if (!shadowThrew && shadowResult instanceof Promise) bothThrew = await shadowResult.then(() => false, () => true);
          compare(name, p0, s0, bothThrew ? undefined : `only primary threw: ${(primaryError as Error)?.message}`);
          throw primaryError;
        },
      );
    };
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
