/**
 * What a canonical registration sees while canonical does not serve (dual.ts's muted call): the
 * same registry of connections, through a view of the hub whose operations that deliver a message
 * send nothing. The legacy side serves and has written its own frames, so whatever the template
 * sends would be a second copy.
 *
 * The view is the hub itself for everything else (connecting, disconnecting, lookups), so every
 * canonical handle a template can reach from its muted binding — `$hub`, `$hub.hub`, the hub's
 * `bus`, the managers `$user(x)` and `$run(x)` make on it — registers on the one registry and
 * delivers nothing. Dropping a send where it is made (not at the socket) keeps it out of the bus
 * too: with the Redis bus a send is published and delivered later from the subscription, to this
 * process's sockets and to the user's sockets on other processes; and a handle kept across an
 * `await` is still the muted one. The serving side never goes through this module.
 * The names are canonical's own API (typed against ConnectionHub and Bus), never a legacy API's.
 */
import type { Bus, ConnectionHub, CriticalEventType, EventEnvelope, PublishEventInput } from '../../canonical/core.js';

/** The envelope a muted emit answers with: the event as given, sequenced nowhere (seq 0), sent to nobody. */
function unsent<T extends CriticalEventType>(input: Pick<PublishEventInput<T>, 'userId' | 'threadId' | 'runId' | 'type' | 'data'>): EventEnvelope<T> {
  const { userId, threadId, runId, type, data } = input;
  return { ...data, type, runId, threadId, userId, seq: 0, offset: 0, epoch: '', ts: Date.now() } as unknown as EventEnvelope<T>;
}

/** Bus operations that deliver, each replaced by what it answers when nobody got the message. */
const BUS_DELIVERIES: Pick<Bus, 'publishEvent' | 'publishToUser'> = {
  publishEvent: (input) => unsent(input),
  publishToUser: () => 0,
};

/** ConnectionHub operations that deliver (to the bus or to a socket), likewise. */
const HUB_DELIVERIES: Pick<ConnectionHub, 'publishEvent' | 'publishFor' | 'publishNowFor' | 'sendToUser' | 'publishMessage' | 'sendFrameTo' | 'replayTo'> = {
  publishEvent: (input) => Promise.resolve(unsent(input)),
  publishFor: (emitter, type, data) => Promise.resolve(unsent({ userId: emitter.userId, threadId: emitter.threadId, runId: emitter.runId, type, data })),
  publishNowFor: () => undefined,
  sendToUser: () => Promise.resolve(0),
  publishMessage: () => 0,
  sendFrameTo: () => false,
  replayTo: () => Promise.resolve(0),
};

/**
 * `target` with `deliveries` replaced, `nested` properties answered by their own muted views, and
 * every other method bound to `target` (a method run on the view would write its fields onto it).
 */
function mutedView<T extends object>(target: T, deliveries: object, nested: Partial<Record<keyof T, () => unknown>> = {}): T {
  const bound = new Map<PropertyKey, { fn: Function; b: Function }>();
  return new Proxy(target, {
    get(t, k) {
      if (typeof k === 'string' && Object.hasOwn(deliveries, k)) return (deliveries as Record<string, unknown>)[k];
      if (typeof k === 'string' && Object.hasOwn(nested, k)) return nested[k as keyof T]!();
      const v = Reflect.get(t, k, t) as unknown;
      if (typeof v !== 'function') return v;
      const hit = bound.get(k);
      if (hit && hit.fn === v) return hit.b;
      const b = (v as Function).bind(t) as Function;
      bound.set(k, { fn: v as Function, b });
      return b;
    },
    set: (t, k, v) => Reflect.set(t, k, v, t),
  });
}

const mutedBuses = new WeakMap<Bus, Bus>();
const mutedHubs = new WeakMap<ConnectionHub, ConnectionHub>();

function mutedBus(bus: Bus): Bus {
  let view = mutedBuses.get(bus);
  if (!view) mutedBuses.set(bus, (view = mutedView(bus, BUS_DELIVERIES)));
  return view;
}

/** `hub` as a muted registration sees it (one view per hub): its registry, its lookups, no delivery (its `bus` muted too). */
export function mutedHub(hub: ConnectionHub): ConnectionHub {
  let view = mutedHubs.get(hub);
  if (!view) mutedHubs.set(hub, (view = mutedView(hub, HUB_DELIVERIES, { bus: () => mutedBus(hub.bus) })));
  return view;
}
