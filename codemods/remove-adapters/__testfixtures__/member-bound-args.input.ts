import type { Hub, HubEvent } from '../legacy/hub.js';

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
  hub.echo(userId, describe(/* the step */ step));
  return hub.echo(pick(), describe(step)) + 1;
}

// an awaited argument is evaluated where the call was: outside the arrow
export async function echoLater(hub: Hub, userId: string): Promise<number> {
  return hub.echo(userId, await load());
}

// a template naming the arguments out of call order: they still run in call order
export function relay(hub: Hub, event: () => HubEvent): number {
  return hub.relay(event(), pick());
}

// a value an argument with side effects may change is read where the call read it: `current`
// before rotate() (bound), and after event() (written in place, after the bound one)
export function order(hub: Hub, event: () => HubEvent): number {
  return hub.echo(current, rotate()) + hub.relay(event(), current);
}

// nested legacy calls, each with its own arrow; a string template with side effects is one argument
export function nested(hub: Hub, userId: string, step: string): number {
  return hub.echo(userId, String(hub.echo(pick(), `${describe(step)}!`))) + hub.echo(userId, `${step}!`);
}

// a fresh object repeated would be two objects: it is built once
export function fresh(hub: Hub, userId: string): number {
  return hub.twice(userId, { type: 'x' }) + hub.twice(userId, { type: 'y', at: -1, ok: !userId, kind: typeof userId });
}

// one whose literal types the call kept (the parameter's type asks for them, or `typeof`'s) is
// marked: an arrow's parameter would widen `{ kind: 'a' }` to `{ kind: string }`
export function freshLiteral(hub: Hub, userId: string): number {
  return hub.tagged(userId, { kind: 'a' });
}

// `?.` on the receiver: the arguments run only when it is there, as they did
export function optional(hub: Hub | undefined, userId: string): number | undefined {
  return hub?.echo(userId, describe(userId));
}

// `this` inside the arrow is the method's (an arrow has none of its own); `this.userId` is read before this.step()
export class Echoer {
  constructor(private readonly hub: Hub, private readonly userId: string) {}
  step(): string {
    return this.userId;
  }
  run(): number {
    return this.hub.echo(this.userId, this.step());
  }
}

// a generator: `yield` in an argument stays in the generator
export function* generator(hub: Hub, userId: string): Generator<string, void, string> {
  hub.echo(userId, yield 'step');
}
