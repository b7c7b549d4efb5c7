import type { ScopedWebSocketManager } from 'ssot-migrate/canonical';

declare function describe(step: string): string;

// an adapter method whose template drops an argument with side effects: it still runs, before the
// template (a comma expression); a pure one goes
export async function progress(adapter: ScopedWebSocketManager, step: string, detail: string): Promise<void> {
  await (describe(step), adapter.emit('progress', { step: step }));
  await adapter.emit('progress', { step: step });
  await adapter.emit('progress', { step: describe(step) });
}

// a repeated argument with side effects is evaluated ahead of the template; a receiver with side
// effects then runs first, with it, as the call ran it
export async function echoVia(make: () => ScopedWebSocketManager, step: string): Promise<void> {
  await (($m, $1) => $m.emit('echo', { text: $1, copy: $1, level: undefined, again: undefined }))(make(), describe(step));
}
