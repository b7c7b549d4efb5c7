import type { ScopedWebSocketManager } from 'ssot-migrate/canonical';

/** Receives an adapter built elsewhere. */
export async function runTool(adapter: ScopedWebSocketManager, name: string): Promise<void> {
  await adapter.emit('tool_executing', { toolName: name, parameters: { q: 1 } });
  await adapter.emit('agent_completed', { status: 'failed', finalResponse: `ran ${name}` });
}
