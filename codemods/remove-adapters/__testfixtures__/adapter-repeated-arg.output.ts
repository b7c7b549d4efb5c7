import type { ScopedWebSocketManager } from 'ssot-migrate/canonical';

declare function describe(step: string): string;
declare function level(): number;

// a template repeating an argument with side effects: the arguments with side effects are
// evaluated once, in their order, ahead of it; pure ones are written in place
export async function echo(adapter: ScopedWebSocketManager, step: string, maybe: ScopedWebSocketManager | undefined): Promise<void> {
  await (($1, $2) => adapter.emit('echo', { text: $1, copy: $1, level: $2, again: $2 }))(describe(step), level());
  await adapter.emit('echo', { text: step, copy: step, level: 2, again: 2 });
  await (($1) => adapter.emit('echo', { text: $1, copy: $1, level: 3, again: 3 }))(describe(step));
  await (maybe == null ? undefined : (($1) => maybe.emit('echo', { text: $1, copy: $1, level: undefined, again: undefined }))(describe(step)));
}

