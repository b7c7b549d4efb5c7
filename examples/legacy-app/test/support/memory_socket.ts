/** An in-memory socket: records every frame sent to it, so the tests need no network. */
export interface Frame {
  type: string;
  userId?: string;
  runId?: string;
  threadId?: string;
  [field: string]: unknown;
}

export class MemorySocket {
  readonly readyState = 1;
  readonly raw: string[] = [];

  send(data: string): void {
    this.raw.push(data);
  }

  close(): void {}

  get frames(): Frame[] {
    return this.raw.map((data) => JSON.parse(data) as Frame);
  }
}

export const CRITICAL_SEQUENCE = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'] as const;

/** Resolves once `check()` is true, or rejects after `timeoutMs` (delivery may be asynchronous). */
export async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
