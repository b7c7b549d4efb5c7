/** Dispatches tools and reports them through an adapter it receives (adapter method calls, no `new` here). */
import type { WebSocketManagerAdapter } from '../supervisor/agent_registry.js';
import { runTool, type ToolHit } from './tool_runner.js';

export class ToolDispatcher {
  constructor(private readonly notifier: WebSocketManagerAdapter) {}

  async dispatch(toolName: string, query: string): Promise<ToolHit[]> {
    const parameters = { query, limit: 5 };
    await this.notifier.notifyToolExecuting(toolName, parameters);
    const started = Date.now();
    const hits = await runTool(toolName, parameters);
    await this.notifier.notifyToolCompleted(toolName, hits, Date.now() - started);
    return hits;
  }
}
