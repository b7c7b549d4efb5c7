import { WebSocketManagerAdapter } from '../legacy/agent_registry.js';

declare function describe(step: string): string;
declare function level(): number;

// a template repeating an argument with side effects: the arguments with side effects are
// evaluated once, in their order, ahead of it; pure ones are written in place
export async function echo(adapter: WebSocketManagerAdapter, step: string, maybe: WebSocketManagerAdapter | undefined): Promise<void> {
  await adapter.notifyEcho(describe(step), level());
  await adapter.notifyEcho(step, 2);
  await adapter.notifyEcho(describe(step), 3);
  await maybe?.notifyEcho(describe(step));
}

