import { WebSocketManagerAdapter } from '../legacy/agent_registry.js';

declare function describe(step: string): string;

// an adapter method whose template drops an argument: kept (marked) when that argument may have side effects,
// and the adapter with it in this file (its type, its other calls), which it still needs
export async function progress(adapter: WebSocketManagerAdapter, step: string, detail: string): Promise<void> {
  // TODO(ssot): the template of WebSocketManagerAdapter.notifyProgress (adapters[].methods) does not use argument 2, and `describe(step)` may have side effects; bind it to a const first
  await adapter.notifyProgress(step, describe(step));
  await adapter.notifyProgress(step, detail);
  await adapter.notifyProgress(describe(step), detail);
}

// a repeated argument with side effects is evaluated ahead of the template, which cannot be when the
// receiver has side effects too (it would run after them)
export async function echoVia(make: () => WebSocketManagerAdapter, step: string): Promise<void> {
  // TODO(ssot): the template of WebSocketManagerAdapter.notifyEcho (adapters[].methods) repeats an argument with side effects, evaluated once ahead of it, and `make()` may have side effects too; bind it to a const first
  await make().notifyEcho(describe(step));
}
