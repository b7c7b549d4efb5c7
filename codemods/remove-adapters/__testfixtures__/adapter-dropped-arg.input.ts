import { WebSocketManagerAdapter } from '../legacy/agent_registry.js';

declare function describe(step: string): string;

// an adapter method whose template drops an argument with side effects: it still runs, before the
// template (a comma expression); a pure one goes
export async function progress(adapter: WebSocketManagerAdapter, step: string, detail: string): Promise<void> {
  await adapter.notifyProgress(step, describe(step));
  await adapter.notifyProgress(step, detail);
  await adapter.notifyProgress(describe(step), detail);
}

// a repeated argument with side effects is evaluated ahead of the template; a receiver with side
// effects then runs first, with it, as the call ran it
export async function echoVia(make: () => WebSocketManagerAdapter, step: string): Promise<void> {
  await make().notifyEcho(describe(step));
}
