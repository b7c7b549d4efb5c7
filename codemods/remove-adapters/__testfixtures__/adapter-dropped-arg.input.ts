import { WebSocketManagerAdapter } from '../legacy/agent_registry.js';

declare function describe(step: string): string;

// an adapter method whose template drops an argument: kept (marked) when that argument may have side effects,
// and the adapter with it in this file (its type, its other calls), which it still needs
export async function progress(adapter: WebSocketManagerAdapter, step: string, detail: string): Promise<void> {
  await adapter.notifyProgress(step, describe(step));
  await adapter.notifyProgress(step, detail);
  await adapter.notifyProgress(describe(step), detail);
}

// a repeated argument with side effects is evaluated ahead of the template, which cannot be when the
// receiver has side effects too (it would run after them)
export async function echoVia(make: () => WebSocketManagerAdapter, step: string): Promise<void> {
  await make().notifyEcho(describe(step));
}
