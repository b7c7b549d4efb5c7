/**
 * RunEventPusher — what the agent runtime uses to tell the browser how a run is going.
 *
 * Five events per run, always in this order: started, thinking, tool start, tool done,
 * finished. Fire-and-forget: every push is a synchronous write to the hub, so the runtime can
 * call these from anywhere (including plain sync functions) without awaiting.
 */
import type { RealtimeHub } from './hub.js';

export const RunEvents = {
  Started: 'agent_started',
  Thinking: 'agent_thinking',
  ToolStart: 'tool_executing',
  ToolDone: 'tool_completed',
  Finished: 'agent_completed',
} as const;

export type RunEventType = (typeof RunEvents)[keyof typeof RunEvents];

export class RunEventPusher {
  constructor(
    private readonly hub: RealtimeHub,
    readonly userId: string,
    readonly runId: string,
    readonly threadId: string | null = null,
  ) {}

  /** A pusher for whatever request the hub is bound to (HubRegistry.forRequest). */
  static forCurrentRequest(hub: RealtimeHub): RunEventPusher {
    const scope = hub.currentScope();
    return new RunEventPusher(hub, scope.userId, scope.runId, scope.threadId);
  }

  pushStarted(agent: string): void {
    this.push(RunEvents.Started, { agent });
  }

  pushThinking(text: string): void {
    this.push(RunEvents.Thinking, { text });
  }

  pushToolStart(tool: string, args: Record<string, unknown>): void {
    this.push(RunEvents.ToolStart, { tool, args });
  }

  pushToolDone(tool: string, result: unknown, ms: number): void {
    this.push(RunEvents.ToolDone, { tool, result, ms });
  }

  pushFinished(answer: string, ok = true): void {
    this.push(RunEvents.Finished, { answer, ok });
  }

  private push(type: RunEventType, payload: Record<string, unknown>): void {
    // Offline users simply miss the event; the transcript is in the thread anyway.
    this.hub.publishToUser(this.userId, { type, runId: this.runId, threadId: this.threadId, ...payload, sentAt: new Date().toISOString() });
  }
}
