import type { CriticalEventType, CriticalEventData } from './events.js';
import { EventOrderError } from './errors.js';

/**
 * One run's lifecycle:
 *   agent_started → (agent_thinking | tool_executing → tool_completed)* → agent_completed
 * - agent_started first, exactly once;
 * - agent_thinking / tool_* only between start and completion;
 * - tool_completed needs an open tool_executing with the same toolName (they nest by name,
 *   so two parallel calls of one tool need two tool_executing first);
 * - nothing after agent_completed. agent_completed with tools still open is allowed: an
 *   agent may finish (or fail) while a tool call is abandoned, and the UI must still end.
 */
export type RunPhase = 'new' | 'running' | 'completed';

export class RunLifecycle {
  readonly runId: string;
  private phase: RunPhase = 'new';
  private readonly openTools = new Map<string, number>();

  constructor(runId: string) {
    this.runId = runId;
  }

  get state(): RunPhase {
    return this.phase;
  }

  /** Throws EventOrderError if `type` may not happen now; does not change state. */
  check<T extends CriticalEventType>(type: T, data: CriticalEventData[T]): void {
    // Runs on every emit: no closure allocated on the success path.
    if (this.phase === 'completed') this.refuse(type, 'the run already completed (agent_completed was sent)');
    if (type === 'agent_started') {
      if (this.phase !== 'new') this.refuse(type, 'agent_started was already sent for this run');
      return;
    }
    if (this.phase === 'new') this.refuse(type, 'agent_started must come first');
    if (type === 'tool_completed') {
      const toolName = (data as CriticalEventData['tool_completed']).toolName;
      if (!this.openTools.get(toolName)) this.refuse(type, `no open tool_executing for tool "${toolName}"`);
    }
  }

  private refuse(type: CriticalEventType, reason: string): never {
    throw new EventOrderError(this.runId, type, reason);
  }

  /** Records an event that passed check(). */
  apply<T extends CriticalEventType>(type: T, data: CriticalEventData[T]): void {
    switch (type) {
      case 'agent_started':
        this.phase = 'running';
        break;
      case 'tool_executing': {
        const name = (data as CriticalEventData['tool_executing']).toolName;
        this.openTools.set(name, (this.openTools.get(name) ?? 0) + 1);
        break;
      }
      case 'tool_completed': {
        const name = (data as CriticalEventData['tool_completed']).toolName;
        const open = (this.openTools.get(name) ?? 0) - 1;
        if (open > 0) this.openTools.set(name, open);
        else this.openTools.delete(name);
        break;
      }
      case 'agent_completed':
        this.phase = 'completed';
        this.openTools.clear();
        break;
      default:
        break;
    }
  }

  /** Names of tools with an open tool_executing (for health reports and tests). */
  openToolNames(): string[] {
    return [...this.openTools.keys()];
  }
}
