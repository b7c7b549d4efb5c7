/**
 * Mission-critical suite: the five agent events reach the user's sockets, in order, with
 * their fields. It drives the app (runAgent) and observes in-memory sockets only, so it
 * must pass unchanged before and after the migration.
 */
import { describe, expect, it } from 'vitest';
import { createUserExecutionContext } from '@app/services/user_execution_context.js';
import { createWebSocketManager } from '@app/websocket_core/websocket_manager_factory.js';
import { runAgent } from '@app/agents/supervisor/execution_engine.js';
import { CRITICAL_SEQUENCE, MemorySocket, until } from './support/memory_socket.js';

let seq = 0;
function freshContext(name: string) {
  seq += 1;
  return createUserExecutionContext({ userId: `usr_${name}_${seq}`, threadId: `thr_${name}_${seq}`, runId: `run_${name}_${seq}` });
}

async function connect(ctx: ReturnType<typeof freshContext>, socket: MemorySocket, tab: number): Promise<void> {
  const manager = createWebSocketManager(ctx);
  await manager.addConnection({ connectionId: `conn_${ctx.userId}_${tab}`, userId: ctx.userId, threadId: ctx.threadId, socket, connectedAt: new Date() });
}

describe('mission critical: the five agent events', () => {
  it('arrive in order, each once, with their fields', async () => {
    const ctx = freshContext('alice');
    const socket = new MemorySocket();
    await connect(ctx, socket, 1);

    const result = await runAgent(ctx, { agentName: 'data_helper', prompt: 'monthly spend by region', toolName: 'cost_query' });
    await until(() => socket.frames.filter((f) => f.type === 'agent_completed').length > 0);

    const events = socket.frames.filter((f) => (CRITICAL_SEQUENCE as readonly string[]).includes(f.type));
    expect(events.map((e) => e.type)).toEqual([...CRITICAL_SEQUENCE]);
    for (const event of events) {
      expect(event.userId).toBe(ctx.userId);
      expect(event.runId).toBe(ctx.runId);
      expect(event.threadId).toBe(ctx.threadId);
    }
    const [started, thinking, executing, completed, done] = events;
    expect(started?.agentName).toBe('data_helper');
    expect(typeof thinking?.reasoning).toBe('string');
    expect((thinking?.reasoning as string).length).toBeGreaterThan(0);
    expect(executing?.toolName).toBe('cost_query');
    expect(executing?.parameters).toEqual({ query: 'monthly spend by region', limit: 3 });
    expect(completed?.toolName).toBe('cost_query');
    expect(completed?.results).toEqual([
      { title: 'cost_query:monthly', score: 1 },
      { title: 'cost_query:spend', score: 0.9 },
      { title: 'cost_query:by', score: 0.8 },
    ]);
    expect(typeof completed?.durationMs).toBe('number');
    expect(done?.status).toBe('completed');
    expect(done?.finalResponse).toBe(result.finalResponse);
  });

  it('reach every tab of the user', async () => {
    const ctx = freshContext('bob');
    const tabs = [new MemorySocket(), new MemorySocket()];
    await connect(ctx, tabs[0]!, 1);
    await connect(ctx, tabs[1]!, 2);

    await runAgent(ctx, { agentName: 'triage', prompt: 'reset my password' });
    for (const tab of tabs) {
      await until(() => tab.frames.some((f) => f.type === 'agent_completed'));
      expect(tab.frames.map((f) => f.type)).toEqual([...CRITICAL_SEQUENCE]);
    }
  });

  it('go to the requesting user only, one request after another', async () => {
    const first = freshContext('carol');
    const second = freshContext('dave');
    const firstSocket = new MemorySocket();
    const secondSocket = new MemorySocket();
    await connect(first, firstSocket, 1);
    await connect(second, secondSocket, 1);

    await runAgent(first, { agentName: 'triage', prompt: 'first question' });
    await until(() => firstSocket.frames.some((f) => f.type === 'agent_completed'));
    await runAgent(second, { agentName: 'triage', prompt: 'second question' });
    await until(() => secondSocket.frames.some((f) => f.type === 'agent_completed'));

    expect(firstSocket.frames.every((f) => f.userId === first.userId && f.runId === first.runId)).toBe(true);
    expect(secondSocket.frames.every((f) => f.userId === second.userId && f.runId === second.runId)).toBe(true);
    expect(firstSocket.frames).toHaveLength(5);
    expect(secondSocket.frames).toHaveLength(5);
  });
});
