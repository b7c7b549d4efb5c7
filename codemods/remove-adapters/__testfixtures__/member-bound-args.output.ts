import type { Hub, HubEvent } from '../legacy/hub.js';
import { hubOperations } from 'ssot-migrate/canonical';

declare function describe(step: string): string;
declare function pick(): string;
declare function load(): Promise<string>;

let current = 'a';
function rotate(): string {
  current = current === 'a' ? 'b' : 'a';
  return current;
}

// a template repeating an argument with side effects: the arguments with side effects run once,
// in call order, ahead of it (as a statement, and as a value)
export function echo(hub: Hub, userId: string, step: string): number {
  (($2) => hubOperations().sendToUser(userId, { type: 'echoed', text: $2, copy: $2 }))(describe(/* the step */ step));
  return (($1, $2) => hubOperations().sendToUser($1, { type: 'echoed', text: $2, copy: $2 }))(pick(), describe(step)) + 1;
}

// an awaited argument is evaluated where the call was: outside the arrow
export async function echoLater(hub: Hub, userId: string): Promise<number> {
  return (($2) => hubOperations().sendToUser(userId, { type: 'echoed', text: $2, copy: $2 }))(await load());
}

// a template naming the arguments out of call order: they still run in call order
export function relay(hub: Hub, event: () => HubEvent): number {
  return (($1, $2) => hubOperations().sendToUser($2, $1))(event(), pick());
}

// a value an argument with side effects may change is read where the call read it: `current`
// before rotate() (bound), and after event() (written in place, after the bound one)
export function order(hub: Hub, event: () => HubEvent): number {
  return (($1, $2) => hubOperations().sendToUser($1, { type: 'echoed', text: $2, copy: $2 }))(current, rotate()) + (($1) => hubOperations().sendToUser(current, $1))(event());
}

// nested legacy calls, each with its own arrow; a string template with side effects is one argument
export function nested(hub: Hub, userId: string, step: string): number {
  return (($2) => hubOperations().sendToUser(userId, { type: 'echoed', text: $2, copy: $2 }))(String((($1, $2) => hubOperations().sendToUser($1, { type: 'echoed', text: $2, copy: $2 }))(pick(), `${describe(step)}!`))) + hubOperations().sendToUser(userId, { type: 'echoed', text: `${step}!`, copy: `${step}!` });
}

// a fresh object repeated would be two objects: it is built once
export function fresh(hub: Hub, userId: string): number {
  // TODO(ssot)[Hub.twice]: the template of Hub.twice needs `{ type: 'y', at: -1, ok: !userId, kind: typeof userId }` evaluated once ahead of it, and as the parameter of an arrow it would lose its literal type ({ type: string; at: number; ok: boolean; kind: "string" | "number" | "bigint" | "boolean" | "symbol" | "undefined" | "object" | "function"; }); bind it to a const with that type first
  return (($2) => hubOperations().sendToUser(userId, $2) + hubOperations().sendToUser(userId, $2))({ type: 'x' }) + hub.twice(userId, { type: 'y', at: -1, ok: !userId, kind: typeof userId });
}

// one whose literal types the call kept (the parameter's type asks for them, or `typeof`'s) is
// marked: an arrow's parameter would widen `{ kind: 'a' }` to `{ kind: string }`
export function freshLiteral(hub: Hub, userId: string): number {
  // TODO(ssot)[Hub.tagged]: the template of Hub.tagged needs `{ kind: 'a' }` evaluated once ahead of it, and as the parameter of an arrow it would lose its literal type ({ kind: "a"; }); bind it to a const with that type first
  return hub.tagged(userId, { kind: 'a' });
}

// `?.` on the receiver: the arguments run only when it is there, as they did
export function optional(hub: Hub | undefined, userId: string): number | undefined {
  return (hub == null ? undefined : (($2) => hubOperations().sendToUser(userId, { type: 'echoed', text: $2, copy: $2 }))(describe(userId)));
}

// `this` inside the arrow is the method's (an arrow has none of its own); `this.userId` is read before this.step()
export class Echoer {
  constructor(private readonly hub: Hub, private readonly userId: string) {}
  step(): string {
    return this.userId;
  }
  run(): number {
    return (($1, $2) => hubOperations().sendToUser($1, { type: 'echoed', text: $2, copy: $2 }))(this.userId, this.step());
  }
}

// a generator: `yield` in an argument stays in the generator
export function* generator(hub: Hub, userId: string): Generator<string, void, string> {
  (($2) => hubOperations().sendToUser(userId, { type: 'echoed', text: $2, copy: $2 }))(yield 'step');
}
