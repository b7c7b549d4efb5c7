/**
 * The run events the agent runtime emits, in order. (The realtime layer has its own
 * RunEvents table in realtime/pusher.ts; the agents code only needs the names.)
 */
export const RUN_EVENT_TYPES = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'] as const;

export type RunEventType = (typeof RUN_EVENT_TYPES)[number];

export function isRunEvent(type: unknown): type is RunEventType {
  return typeof type === 'string' && (RUN_EVENT_TYPES as readonly string[]).includes(type);
}
