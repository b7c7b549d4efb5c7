import type { WebSocketManagerAdapter } from '../legacy/agent_registry.js';

/** Receives an adapter built elsewhere. */
export async function runTool(adapter: WebSocketManagerAdapter, name: string): Promise<void> {
  await adapter.notifyToolExecuting(name, { q: 1 });
  await adapter.notifyAgentCompleted(`ran ${name}`, 'failed');
}
