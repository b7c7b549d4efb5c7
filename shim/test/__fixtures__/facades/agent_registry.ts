// Generated-facade shape for src/agents/supervisor/agent_registry.ts (adapter WSM008): the
// manifest's method templates become the mapping functions.
import * as frozen from '../../../../examples/legacy-app/src/agents/supervisor/agent_registry.js';
import { defineLegacyAdapter } from '../../../index.js';

/** @deprecated WSM008: use the manager directly: m.emit('agent_started', { agentName }) etc. */
export const WebSocketManagerAdapter = defineLegacyAdapter(
  { id: 'WSM008', symbol: 'WebSocketManagerAdapter', replacement: 'the canonical manager directly (m.emit(...))', facade: import.meta.url },
  frozen.WebSocketManagerAdapter,
  {
    unwrapArg: 0,
    contextArg: 1,
    methods: {
      notifyAgentStarted: (m, agentName: string) => m.emit('agent_started', { agentName }),
      notifyAgentThinking: (m, reasoning: string) => m.emit('agent_thinking', { reasoning }),
      notifyToolExecuting: (m, toolName: string, parameters: Record<string, unknown>) => m.emit('tool_executing', { toolName, parameters }),
      notifyToolCompleted: (m, toolName: string, results: unknown, durationMs: number) => m.emit('tool_completed', { toolName, results, durationMs }),
      notifyAgentCompleted: (m, finalResponse: string, status?: string) => m.emit('agent_completed', { status: status ?? 'completed', finalResponse }),
    },
  },
);
/** @deprecated WSM008 */
export type WebSocketManagerAdapter = frozen.WebSocketManagerAdapter;

export { AgentRegistry } from '../../../../examples/legacy-app/src/agents/supervisor/agent_registry.js';
export type { AgentDefinition, AdapterMetrics } from '../../../../examples/legacy-app/src/agents/supervisor/agent_registry.js';
