import { settle } from '../legacy/ws';
import type { UserExecutionContext } from '../context';
import { createWebSocketManager, hubOperations } from 'ssot-migrate/canonical';

declare function describe(step: string): string;
declare function pick(): string;
declare function load(): Promise<string>;

// a template repeating an argument with side effects: it runs once, ahead of the template
export function statement(userId: string, step: string): void {
  (($2) => hubOperations().sendToUser(userId, { type: 'echoed', text: $2, copy: $2 }))(describe(step));
}

// as a value, with an awaited argument (evaluated where the call was), and inside a string template
export async function expression(userId: string): Promise<string> {
  const sent = (($2) => hubOperations().sendToUser(userId, { type: 'echoed', text: $2, copy: $2 }))(await load());
  return String(sent) + `${(($1, $2) => hubOperations().sendToUser($1, { type: 'echoed', text: $2, copy: $2 }))(pick(), describe(/* the step */ userId))}`;
}

// a template that drops an argument with side effects: it still runs, before the template (a pure one goes)
export function dropped(): number {
  return (describe('why'), hubOperations().connectionCount()) + (void `${pick()}`, hubOperations().connectionCount()) + hubOperations().connectionCount();
}

// `$user(x)` is written as the factory on the context in scope, without x: an x with side effects still runs
export async function think(ctx: UserExecutionContext, text: string): Promise<void> {
  await (pick(), createWebSocketManager(ctx).emit('agent_thinking', { reasoning: text }));
}

// a template that awaits cannot take arguments evaluated ahead of it in an arrow: marked
export async function awaiting(userId: string): Promise<number> {
  // TODO(ssot)[settle]: the template of settle of src/legacy/ws (functions[0].templates) awaits or yields, so it cannot take its parts evaluated once ahead of it (`pick()`, evaluated as the call did); rewrite it by hand
  return (await (await hubOperations().connectionCount(userId) + hubOperations().connectionCount(userId))) + (await settle(pick()));
}

// a generator: `yield` in an argument stays in the generator
export function* generator(userId: string): Generator<string, void, string> {
  (($2) => hubOperations().sendToUser(userId, { type: 'echoed', text: $2, copy: $2 }))(yield 'step');
}
