import { WebSocketManagerAdapter } from '../legacy/agent_registry.js';

declare function describe(step: string): string;

// `make()?.m(…)` with arguments evaluated ahead of the template: the receiver would be evaluated
// twice (its null test, then with them), so the call is marked and the adapter stays in this file
export async function echoMaybe(make: () => WebSocketManagerAdapter | undefined, step: string): Promise<void> {
  await make()?.notifyEcho(describe(step));
}
