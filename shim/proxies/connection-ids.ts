/**
 * Connection ids across the two sides of a registration (dual.ts).
 *
 * A registration member that returns an id (`attach(userId, socket)` → a connection id) runs on
 * both sides, and each side makes its own id. The caller keeps the id the serving side returned
 * and later hands it back (`detach(id)`, `sendTo(id, …)`), perhaps after a flip made the other
 * side serve. So for each registration whose two results are ids (a string or a number each, and
 * not equal) the pair is kept, keyed by the id the caller holds, and every later argument equal to
 * a held id is handed to each side as that side's own id. An argument is an id by value identity
 * with a returned one: the shim knows no member's parameter list. A registration member that is
 * handed a held id unregistered it: its pair is forgotten once both sides ran; so is the pair of a
 * registration handed a socket once that socket closed (after its `close` listeners ran, so an app
 * that detaches in its own `close` listener is still translated).
 * One instance per facade object (a manager, an object manager, a module of functions), held by
 * it: the ids of two managers never meet, and they go with the object.
 */
import { carriesSocket, isSocket } from './shadow.js';

export type Side = 'canonical' | 'legacy';
type Id = string | number;

interface Pair {
  canonical: Id;
  legacy: Id;
}

const isId = (v: unknown): v is Id => typeof v === 'string' || typeof v === 'number';
const other = (side: Side): Side => (side === 'canonical' ? 'legacy' : 'canonical');

export class ConnectionIds {
  /** The pairs, keyed by the id the caller holds (the serving side's at registration). */
  private readonly byHeld = new Map<Id, Pair>();
  /** How many pairs the caller holds by each side's id: a call to `side` translates only while the caller holds ids of the other side (read, never written, outside). */
  readonly held = { canonical: 0, legacy: 0 };

  /** Whether a call served by `side` may carry an id of the other side (else its arguments go as they are). */
  foreignTo(side: Side): boolean {
    return this.held[other(side)] !== 0;
  }

  /** The arguments as `side` sees them: each id the caller holds of the other side becomes this side's id (`args` itself when none). */
  translate(side: Side, args: readonly unknown[]): readonly unknown[] {
    if (!this.foreignTo(side)) return args;
    let out: unknown[] | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const pair = isId(a) ? this.byHeld.get(a) : undefined;
      if (pair === undefined || pair[side] === a) continue;
      out ??= args.slice();
      out[i] = pair[side];
    }
    return out ?? args;
  }

  /**
   * After a registration member ran on both sides (`servedBy` the side whose result the caller
   * got): the pairs whose held id was an argument are forgotten (an unregistration), and when both
   * results are ids the new pair is kept. A promised result is read when it resolves.
   */
  settle(servedBy: Side, args: readonly unknown[], served: unknown, otherResult: unknown): void {
    for (const a of args) if (isId(a)) this.forget(a);
    const thenable = (v: unknown): v is PromiseLike<unknown> => typeof (v as PromiseLike<unknown> | undefined)?.then === 'function';
    if (!thenable(served) && !thenable(otherResult)) {
      this.pair(servedBy, served, otherResult, args);
      return;
    }
    // a rejection is the caller's (served) or reported by dual.ts (the other side): nothing to pair then
    Promise.all([served, otherResult]).then(
      ([s, o]) => this.pair(servedBy, s, o, args),
      () => undefined,
    );
  }

  private pair(servedBy: Side, served: unknown, otherResult: unknown, args: readonly unknown[]): void {
    if (!isId(served) || !isId(otherResult) || served === otherResult) return;
    this.forget(served);
    const pair = servedBy === 'canonical' ? { canonical: served, legacy: otherResult } : { canonical: otherResult, legacy: served };
    this.byHeld.set(served, pair);
    this.held[servedBy]++;
    // an app that never unregisters (both sides forget a closed socket themselves) leaves no pair behind
    const socket = args.find(isSocket) ?? args.find(carriesSocket)?.socket;
    const once = (socket as { once?: unknown } | undefined)?.once;
    if (typeof once === 'function') once.call(socket, 'close', () => void setImmediate(() => this.forget(served, pair)));
  }

  /** Forgets the pair held by `id` (only `expected`, when given: the id may have been paired anew since). */
  private forget(id: Id, expected?: Pair): void {
    const pair = this.byHeld.get(id);
    if (pair === undefined || (expected !== undefined && pair !== expected)) return;
    this.byHeld.delete(id);
    this.held[pair.canonical === id ? 'canonical' : 'legacy']--;
  }

  /** Pairs kept (for tests and reports). */
  get size(): number {
    return this.byHeld.size;
  }
}
