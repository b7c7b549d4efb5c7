import { echo, reset, settle, thinking } from '../legacy/ws';
import type { UserExecutionContext } from '../context';

declare function describe(step: string): string;
declare function pick(): string;
declare function load(): Promise<string>;

// a template repeating an argument with side effects: it runs once, ahead of the template
export function statement(userId: string, step: string): void {
  echo(userId, describe(step));
}

// as a value, with an awaited argument (evaluated where the call was), and inside a string template
export async function expression(userId: string): Promise<string> {
  const sent = echo(userId, await load());
  return String(sent) + `${echo(pick(), describe(/* the step */ userId))}`;
}

// a template that drops an argument with side effects: it still runs, before the template (a pure one goes)
export function dropped(): number {
  return reset(describe('why')) + reset(`${pick()}`) + reset(`${-1}`);
}

// `$user(x)` is written as the factory on the context in scope, without x: an x with side effects still runs
export async function think(ctx: UserExecutionContext, text: string): Promise<void> {
  await thinking(pick(), text);
}

// a template that awaits cannot take arguments evaluated ahead of it in an arrow: marked
export async function awaiting(userId: string): Promise<number> {
  return (await settle(userId)) + (await settle(pick()));
}

// a generator: `yield` in an argument stays in the generator
export function* generator(userId: string): Generator<string, void, string> {
  echo(userId, yield 'step');
}
