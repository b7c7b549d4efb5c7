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
  // Open tool calls by name. The common case — one tool open at a time — lives in two fields;
  // a Map is made only when a second name is open at once (no Map per run otherwise).
  private toolName: string | undefined;
  private toolCount = 0;
  private moreTools: Map<string, number> | undefined;

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
      if (this.openCount(toolName) === 0) this.refuse(type, `no open tool_executing for tool "${toolName}"`);
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
        if (name === this.toolName) {
          this.toolCount++;
        } else if (this.toolName === undefined && !this.moreTools?.has(name)) {
          this.toolName = name;
          this.toolCount = 1;
        } else {
          const more = (this.moreTools ??= new Map());
          more.set(name, (more.get(name) ?? 0) + 1);
        }
        break;
      }
      case 'tool_completed': {
        const name = (data as CriticalEventData['tool_completed']).toolName;
        if (name === this.toolName) {
          if (--this.toolCount === 0) this.toolName = undefined;
        } else if (this.moreTools) {
          const open = (this.moreTools.get(name) ?? 0) - 1;
          if (open > 0) this.moreTools.set(name, open);
          else this.moreTools.delete(name);
        }
        break;
      }
      case 'agent_completed':
        this.phase = 'completed';
        this.toolName = undefined;
        this.toolCount = 0;
        this.moreTools = undefined;
        break;
      default:
        break;
    }
  }

  /** Names of tools with an open tool_executing (for health reports and tests). */
  openToolNames(): string[] {
    return [...(this.toolName === undefined ? [] : [this.toolName]), ...(this.moreTools?.keys() ?? [])];
  }

  private openCount(name: string): number {
    return name === this.toolName ? this.toolCount : (this.moreTools?.get(name) ?? 0);
  }
}
