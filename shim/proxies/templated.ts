/**
 * The canonical-mode object of a legacy class, generated from the manifest's member templates
 * (`classes[].members`): strangle writes each template as a function of a binding and the
 * call's arguments, typed against the legacy member (so the facade's declared type and the
 * canonical-mode object agree, checked by the compiler), and this module turns that table into
 * an object with every member of the legacy class:
 *  - a templated member runs its template on the binding (canonical managers and the privileged
 *    hub operations over the one connection registry);
 *  - a member the manifest leaves to legacy code runs on the frozen legacy object behind it;
 *  - any other member throws UnmappedMemberError (never a TypeError) naming the id and member.
 * Nothing here knows a legacy API: names come from the table.
 */
import { CrossUserAccessError, createWebSocketManager, hubOperations, isCriticalEventType } from '../../canonical/core.js';
import type { ConnectionHub, CriticalEventData, CriticalEventType, HubOperations, ScopedWebSocketManager, UserExecutionContext } from '../../canonical/core.js';
import { UnmappedMemberError } from '../errors.js';
import { mutedHub } from './muted.js';
import type { SiteRecord } from '../telemetry.js';

/** The context shape legacy code passes around (userId, threadId, runId, requestId?). */
export interface LegacyContextLike {
  readonly userId: string;
  readonly threadId: string;
  readonly runId: string;
  readonly requestId?: string;
}

export function isLegacyContext(v: unknown): v is LegacyContextLike {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return typeof c.userId === 'string' && typeof c.threadId === 'string' && typeof c.runId === 'string';
}

/** Per-(user, thread, run) canonical managers one binding keeps; older ones are rebuilt on demand. */
const MAX_RUN_MANAGERS = 32;
const ENVELOPE_KEYS = new Set(['type', 'runId', 'threadId', 'userId', 'seq', 'ts', 'timestamp']);
let syntheticRun = 0;

/**
 * What a template sees (`$self`): the privileged hub operations (`$hub`), the bound context
 * (`$ctx`), per-user and per-run canonical managers (`$user(id)`, `$run(ctx)`), the frozen legacy
 * object behind this one (`$legacy`), and a few generic operations legacy APIs need.
 */
export class CanonicalBinding<L extends object = object> {
  readonly hub: HubOperations;
  private bound: LegacyContextLike | undefined;
  private readonly scoped: ScopedWebSocketManager | undefined;
  private readonly runs = new Map<string, ScopedWebSocketManager>();
  private readonly currentRun = new Map<string, string>();
  private companion: L | undefined;
  private mutedSelf: CanonicalBinding<L> | undefined;
  /** For a muted binding: the binding it is the muted form of (a rebind goes there, and comes back through muted()). */
  private mutedOf: CanonicalBinding<L> | undefined;

  constructor(
    readonly connections: ConnectionHub,
    private readonly makeLegacy: () => L,
    context?: LegacyContextLike,
    readonly record?: SiteRecord,
  ) {
    this.hub = hubOperations(connections);
    this.bound = context;
    this.scoped = context ? createWebSocketManager(toCanonical(context), { hub: connections }) : undefined;
  }

  /**
   * This binding as a registration run while canonical does not serve sees it: a binding of its own
   * over the hub's muted view (muted.ts), so `$hub`, `$hub.hub`, `$self.emit` and the managers
   * `$user(x)` / `$run(x)` hands out register on the one registry and deliver nothing, also after an
   * `await`. It shares this one's context (a rebind reaches both), its `$legacy` and its record.
   */
  muted(): CanonicalBinding<L> {
    if (this.mutedSelf === undefined) {
      this.mutedSelf = new CanonicalBinding<L>(mutedHub(this.connections), () => this.legacy, this.bound, this.record);
      this.mutedSelf.mutedOf = this;
    }
    return this.mutedSelf;
  }

  /** `$ctx`: the context this object was made for (undefined for an unscoped object). */
  get context(): LegacyContextLike | undefined {
    return this.bound;
  }

  /** Rebinding to another user is refused: that was the shared-instance leak. */
  rebind(ctx: LegacyContextLike | undefined): void {
    if (this.mutedOf) return this.mutedOf.rebind(ctx);
    if (this.scoped && ctx && ctx.userId !== this.scoped.context.userId) throw new CrossUserAccessError(this.scoped.context.userId, ctx.userId, 'rebind a manager to');
    this.bound = ctx;
    if (this.mutedSelf) this.mutedSelf.bound = ctx;
  }

  /** `$legacy`: the frozen legacy object behind this one (made on first use unless given). */
  get legacy(): L {
    if (this.companion === undefined) this.companion = this.makeLegacy();
    return this.companion;
  }

  /** `$user(id)`: the canonical manager acting for that user; a scoped object refuses other users. */
  user(userId: string): ScopedWebSocketManager {
    if (this.scoped) {
      if (userId !== this.scoped.context.userId) throw new CrossUserAccessError(this.scoped.context.userId, String(userId), 'act for');
      return this.scoped;
    }
    const b = this.bound && this.bound.userId === userId ? this.bound : undefined;
    return this.runManager(userId, b?.threadId ?? `legacy_thread_${userId}`, b?.runId ?? `legacy_run_${userId}`);
  }

  /** `$run(ctx)`: the canonical manager of the run a context-shaped value names (default: the bound context). */
  run(ctx?: Partial<LegacyContextLike> | null): ScopedWebSocketManager {
    const userId = ctx?.userId ?? this.bound?.userId;
    if (typeof userId !== 'string') throw new CrossUserAccessError('(none)', '(unknown)', 'emit without a user context for');
    const same = this.bound && this.bound.userId === userId ? this.bound : undefined;
    const threadId = nonEmpty(ctx?.threadId) ?? same?.threadId ?? `legacy_thread_${userId}`;
    const runId = nonEmpty(ctx?.runId) ?? same?.runId ?? `legacy_run_${userId}`;
    if (this.scoped) {
      if (userId !== this.scoped.context.userId) throw new CrossUserAccessError(this.scoped.context.userId, userId, 'act for');
      if (threadId === this.scoped.context.threadId && runId === this.scoped.context.runId) return this.scoped;
    }
    return this.runManager(userId, threadId, runId);
  }

  /**
   * An event named by a string, for a user: one of the five critical events goes through
   * canonical emit (sequenced, ordered, replayable) in the run the data names, else the bound
   * context's run, else a synthetic run per user that starts afresh at each agent_started; any
   * other type is a plain message.
   */
  async emit(userId: string, eventType: string, data: Record<string, unknown> | undefined): Promise<void> {
    const base = this.user(userId); // cross-user check first
    const payload: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(data ?? {})) if (!ENVELOPE_KEYS.has(k)) payload[k] = v;
    const bound = this.bound && this.bound.userId === userId ? this.bound : undefined;
    const threadId = nonEmpty(data?.['threadId']) ?? bound?.threadId ?? `legacy_thread_${userId}`;
    if (!isCriticalEventType(eventType)) {
      const runId = nonEmpty(data?.['runId']) ?? bound?.runId;
      await base.sendToUser(userId, { type: eventType, userId, threadId, ...(runId ? { runId } : {}), timestamp: new Date().toISOString(), ...payload });
      return;
    }
    let runId = nonEmpty(data?.['runId']) ?? bound?.runId;
    if (!runId) {
      if (eventType === 'agent_started' || !this.currentRun.has(userId)) this.currentRun.set(userId, `legacy_run_${++syntheticRun}`);
      runId = this.currentRun.get(userId)!;
    }
    await this.run({ userId, threadId, runId }).emit(eventType as CriticalEventType, payload as unknown as CriticalEventData[CriticalEventType]);
  }

  /** Users this object may address that have a socket: its one user when scoped, else everybody connected. */
  users(): string[] {
    if (this.scoped) return this.hub.isOnline(this.scoped.context.userId) ? [this.scoped.context.userId] : [];
    return this.hub.listConnectedUsers();
  }

  private runManager(userId: string, threadId: string, runId: string): ScopedWebSocketManager {
    const key = `${userId}\u0000${threadId}\u0000${runId}`;
    let m = this.runs.get(key);
    if (!m) {
      if (this.runs.size >= MAX_RUN_MANAGERS) this.runs.delete(this.runs.keys().next().value!);
      m = createWebSocketManager(toCanonical({ userId, threadId, runId }), { hub: this.connections });
      this.runs.set(key, m);
    }
    return m;
  }
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function toCanonical(ctx: LegacyContextLike): UserExecutionContext {
  return { userId: ctx.userId, threadId: ctx.threadId, runId: ctx.runId, ...(ctx.requestId ? { requestId: ctx.requestId } : {}) };
}

/** One template per member, typed against the legacy member: `(self, ...args) => result`. */
export type MemberTemplates<L> = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [K in keyof L]?: L[K] extends (...args: infer A) => infer R ? (self: CanonicalBinding<L & object>, ...args: A) => R : never;
};
/** Templates of properties (no call): `(self) => value`. */
export type PropertyTemplates<L> = { [K in keyof L]?: (self: CanonicalBinding<L & object>) => L[K] };

/** The table strangle generates per legacy class from the manifest (`classes[]`). */
export interface CanonicalTable<L> {
  methods?: MemberTemplates<L>;
  properties?: PropertyTemplates<L>;
  /** Members served by the frozen legacy object (`legacyMembers`). */
  legacy?: readonly (keyof L & string)[];
  /** Members with no template: calling one throws UnmappedMemberError. */
  unmapped?: readonly (keyof L & string)[];
  /**
   * Properties whose template is the bound context (`$ctx`): assigning one rebinds the object
   * (another user is refused with CrossUserAccessError). Assigning any other templated property
   * throws UnmappedMemberError.
   */
  rebind?: readonly (keyof L & string)[];
  /** Methods whose legacy result is `void`: a promise the template returns is not handed back; its rejection is reported, never unhandled. */
  detached?: readonly (keyof L & string)[];
  /**
   * Methods that register or unregister a connection (manifest `registration`, or found from
   * templates calling the hub's connect/disconnect): for an object manager and an exported
   * instance they run on both sides in every mode, the side that does not serve with stand-ins
   * of the sockets that keep it from sending, so either side serves every connection after a
   * flip (dual.ts).
   */
  registration?: readonly (keyof L & string)[];
}

/** Identity, typed: what a generated facade writes so the compiler checks each template against the legacy class `L`. */
export function canonicalTable<L>(table: CanonicalTable<L>): CanonicalTable<L> {
  return table;
}

export const BINDING = Symbol.for('ssot-migrate.shim.binding');

/** The binding behind a canonical-mode object built from a table, if `value` is one. */
export function bindingOf(value: unknown): CanonicalBinding | undefined {
  return typeof value === 'object' && value !== null ? ((value as Record<symbol, unknown>)[BINDING] as CanonicalBinding | undefined) : undefined;
}

const mutedObjects = new WeakMap<object, object>();
/**
 * A canonical-mode object as a registration run while canonical does not serve calls it: its
 * members run on its binding's muted form (CanonicalBinding.muted), so what they send goes nowhere.
 */
export function mutedObject(obj: object): object {
  let view = mutedObjects.get(obj);
  if (!view) {
    const binding = bindingOf(obj);
    view = binding ? (Object.create(obj, { [BINDING]: { value: binding.muted() } }) as object) : obj;
    mutedObjects.set(obj, view);
  }
  return view;
}

/**
 * A templated member without the object layer: `binding` is the object's binding, `n` the number of
 * arguments the caller passed, `a0`-`a3` the first four, `more` all of them when there are more than four.
 * Counts the call on the binding's record, then runs the template as the member would.
 */
export type DirectCall = (binding: CanonicalBinding, n: number, a0: unknown, a1: unknown, a2: unknown, a3: unknown, more: unknown[] | undefined) => unknown;
const directCalls = new WeakMap<Function, DirectCall>();

/** The direct form of a canonical-mode object's templated method (undefined for any other function). */
export function directCallOf(method: Function): DirectCall | undefined {
  return directCalls.get(method);
}

/** Prototypes per table, constructor and id (one table serves every alias, factory and id of its class). */
const built = new WeakMap<object, WeakMap<object, Map<string, object>>>();

/** A rejected promise of a call whose legacy form returns nothing: a process warning, never an unhandled rejection. */
export function reportDetached(id: string, name: string, error: unknown): void {
  process.emitWarning(`${id}: ${name}: ${error instanceof Error ? error.message : String(error)} (the legacy call returns nothing, so this is reported here instead of thrown)`, {
    type: 'SsotShimDetachedError',
    code: 'ERR_SSOT_DETACHED',
  });
}

/**
 * The canonical-mode object for one construction or factory call: every member of `frozen`'s
 * instances (from the table and the frozen prototype) is defined, none falls through to a
 * frozen method running on the wrong object. `shape` is where the legacy members are declared:
 * the frozen class's prototype, or for an object manager (an object literal, no class) the
 * frozen object itself.
 */
export function buildCanonicalObject<L extends object>(id: string, className: string, frozen: Function, table: CanonicalTable<L>, binding: CanonicalBinding<L>, constructorRef: Function, shape: object = frozen.prototype as object): L {
  let byCtor = built.get(table);
  if (!byCtor) built.set(table, (byCtor = new WeakMap()));
  // an object manager has no class of its own (its constructor is Object): its prototype is kept per literal
  const owner = shape === frozen.prototype ? constructorRef : shape;
  let byId = byCtor.get(owner);
  if (!byId) byCtor.set(owner, (byId = new Map()));
  const key = `${id}\u0000${className}`;
  let proto = byId.get(key);
  if (!proto) byId.set(key, (proto = makePrototype(id, className, shape, table as CanonicalTable<object>, constructorRef)));
  const obj = Object.create(proto) as Record<PropertyKey, unknown>;
  Object.defineProperty(obj, BINDING, { value: binding, enumerable: false });
  return obj as L;
}

/** The descriptor of `name` on `obj` or its prototypes (read without running a getter). */
function declared(obj: object, name: string): PropertyDescriptor | undefined {
  for (let p: object | null = obj; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    const d = Object.getOwnPropertyDescriptor(p, name);
    if (d) return d;
  }
  return undefined;
}

function makePrototype(id: string, className: string, shape: object, table: CanonicalTable<object>, constructorRef: Function): object {
  const proto: Record<string, unknown> = {};
  const defined = new Set<string>(['constructor']);
  Object.defineProperty(proto, 'constructor', { value: constructorRef, writable: true, configurable: true });
  const self = (o: unknown): CanonicalBinding => (o as Record<symbol, CanonicalBinding>)[BINDING]!;
  const detached = new Set<string>(table.detached ?? []);
  for (const [name, template] of Object.entries((table.methods ?? {}) as Record<string, Function>)) {
    defined.add(name);
    // A legacy async method rejects, never throws: a template's synchronous throw (e.g. CrossUserAccessError) becomes a rejection.
    const legacyIsAsync = (declared(shape, name)?.value as Function | undefined)?.constructor?.name === 'AsyncFunction';
    const isDetached = detached.has(name);
    // Arguments by position, not a rest array: the template gets exactly the arguments the caller passed (`n`), and the
    // common arities allocate nothing per call (a follower's dispatcher calls this directly in canonical mode, follow.ts).
    const direct: DirectCall = (binding, n, a0, a1, a2, a3, more) => {
      const record = binding.record;
      if (record !== undefined) record.methodCalls++;
      let result: unknown;
      try {
        result = n === 0 ? template(binding) : n === 1 ? template(binding, a0) : n === 2 ? template(binding, a0, a1) : n === 3 ? template(binding, a0, a1, a2) : n === 4 ? template(binding, a0, a1, a2, a3) : template(binding, ...more!);
      } catch (error) {
        if (!legacyIsAsync) throw error;
        result = Promise.reject(error);
      }
      if (isDetached && typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
        (result as Promise<unknown>).then(undefined, (error: unknown) => reportDetached(id, `${className}.${name}`, error));
        return undefined;
      }
      return result;
    };
    const method = function (this: unknown, a0?: unknown, a1?: unknown, a2?: unknown, a3?: unknown): unknown {
      const n = arguments.length;
      return direct(self(this), n, a0, a1, a2, a3, n > 4 ? Array.from(arguments) : undefined);
    };
    Object.defineProperty(method, 'name', { value: name });
    Object.defineProperty(method, 'length', { value: 0 }); // as the rest-parameter method it replaces
    directCalls.set(method, direct);
    Object.defineProperty(proto, name, { value: method, writable: true, configurable: true });
  }
  const rebind = new Set<string>(table.rebind ?? []);
  for (const [name, template] of Object.entries((table.properties ?? {}) as Record<string, Function>)) {
    defined.add(name);
    Object.defineProperty(proto, name, {
      get: function (this: unknown) {
        return template(self(this));
      },
      set: function (this: unknown, v: unknown) {
        if (!rebind.has(name)) throw new UnmappedMemberError(id, `${className}.${name} (assignment)`);
        self(this).rebind(v as LegacyContextLike | undefined);
      },
      configurable: true,
    });
  }
  const frozenProto = shape as Record<string, unknown>;
  for (const name of table.legacy ?? []) {
    defined.add(name);
    const desc = declared(frozenProto, name);
    if (desc && typeof desc.value === 'function') {
      Object.defineProperty(proto, name, {
        value: function (this: unknown, ...args: unknown[]) {
          const legacy = self(this).legacy as Record<string, Function>;
          return legacy[name]!.apply(legacy, args);
        },
        writable: true,
        configurable: true,
      });
    } else {
      Object.defineProperty(proto, name, {
        get: function (this: unknown) {
          return (self(this).legacy as Record<string, unknown>)[name];
        },
        set: function (this: unknown, v: unknown) {
          (self(this).legacy as Record<string, unknown>)[name] = v;
        },
        configurable: true,
      });
    }
  }
  // Everything else the class declares (listed by strangle, or found on the frozen prototype).
  const rest = new Set<string>(table.unmapped ?? []);
  for (let p: object | null = frozenProto; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const name of Object.getOwnPropertyNames(p)) rest.add(name);
  }
  for (const name of rest) {
    if (defined.has(name)) continue;
    const fail = (): never => {
      throw new UnmappedMemberError(id, `${className}.${name}`);
    };
    const desc = declared(frozenProto, name);
    if (desc && typeof desc.value === 'function') Object.defineProperty(proto, name, { value: fail, writable: true, configurable: true });
    else Object.defineProperty(proto, name, { get: fail, set: fail, configurable: true });
  }
  return proto;
}
