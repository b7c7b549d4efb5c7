/**
 * POST /runs: the five run events reach the requesting user's sockets, in order, once each.
 * Wire format: the tests marked [wire] read the app's own payload field names (agent, text,
 * tool, args, result, ms, answer, ok) and its `hello` frame; the others only read `type`,
 * `runId` and `threadId` of run events.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/app.js';
import { RUN_SEQUENCE, closeAllTabs, openTab, settle, uniqueUser, until } from './support/memory-socket.js';

afterEach(closeAllTabs);

function runRequest(userId: string, threadId: string, runId: string, body: Record<string, unknown>) {
  return { method: 'POST' as const, path: '/runs', user: { id: userId }, headers: { 'x-thread-id': threadId, 'x-run-id': runId }, body };
}

describe('run events', () => {
  it('arrive in order, once each, carrying the run and thread', async () => {
    const { router } = createApp();
    const alice = uniqueUser('alice');
    const tab = openTab(alice);

    const res = await router.dispatch(runRequest(alice, 'thr_a1', 'run_a1', { agent: 'researcher', prompt: 'monthly spend by region' }));
    expect(res.status).toBe(200);
    await until(() => tab.socket.runEvents().length >= 5);
    await settle();

    const events = tab.socket.runEvents();
    expect(events.map((e) => e.type)).toEqual([...RUN_SEQUENCE]);
    for (const e of events) {
      expect(e.runId).toBe('run_a1');
      expect(e.threadId).toBe('thr_a1');
    }
  });

  it('[wire] carry the agent, the reasoning, the tool call and its result, the answer', async () => {
    const { router } = createApp();
    const alice = uniqueUser('alice');
    const tab = openTab(alice);

    const res = await router.dispatch(runRequest(alice, 'thr_a2', 'run_a2', { agent: 'researcher', prompt: 'monthly spend by region', tool: 'search' }));
    await until(() => tab.socket.runEvents().length >= 5);

    const [started, thinking, toolStart, toolDone, finished] = tab.socket.runEvents();
    expect(started?.agent).toBe('researcher');
    expect(typeof thinking?.text).toBe('string');
    expect(String(thinking?.text)).toContain('monthly spend by region');
    expect(toolStart?.tool).toBe('search');
    expect(toolStart?.args).toEqual({ query: 'monthly spend by region', limit: 3 });
    expect(toolDone?.tool).toBe('search');
    expect(toolDone?.result).toEqual([
      { title: 'doc:monthly', score: 1 },
      { title: 'doc:spend', score: 0.9 },
      { title: 'doc:by', score: 0.8 },
    ]);
    expect(typeof toolDone?.ms).toBe('number');
    expect(finished?.answer).toBe((res.body as { answer: string }).answer);
    expect(finished?.ok).toBe(true);
  });

  it('[wire] a new socket is greeted with its connection id', () => {
    const tab = openTab(uniqueUser('erin'));
    expect(tab.socket.frames[0]).toEqual({ type: 'hello', connectionId: tab.connectionId });
  });

  it('reach every open tab of the user', async () => {
    const { router } = createApp();
    const bob = uniqueUser('bob');
    const tabs = [openTab(bob), openTab(bob), openTab(bob)];

    await router.dispatch(runRequest(bob, 'thr_b1', 'run_b1', { agent: 'triage', prompt: 'reset my password' }));
    for (const tab of tabs) {
      await until(() => tab.socket.runEvents().length >= 5);
    }
    await settle();
    for (const tab of tabs) {
      expect(tab.socket.runEvents().map((e) => [e.type, e.runId])).toEqual(RUN_SEQUENCE.map((t) => [t, 'run_b1']));
    }
  });

  it('go to the requesting user only, one request after another', async () => {
    const { router } = createApp();
    const carol = uniqueUser('carol');
    const dave = uniqueUser('dave');
    const carolTab = openTab(carol);
    const daveTab = openTab(dave);

    await router.dispatch(runRequest(carol, 'thr_c1', 'run_c1', { agent: 'triage', prompt: 'first question' }));
    await until(() => carolTab.socket.runEvents().length >= 5);
    await router.dispatch(runRequest(dave, 'thr_d1', 'run_d1', { agent: 'triage', prompt: 'second question' }));
    await until(() => daveTab.socket.runEvents().length >= 5);
    await settle();

    expect(carolTab.socket.runEvents().map((e) => e.runId)).toEqual(Array(5).fill('run_c1'));
    expect(daveTab.socket.runEvents().map((e) => e.runId)).toEqual(Array(5).fill('run_d1'));
  });

  it('need no socket: a user without one still gets the answer, and nobody else gets the events', async () => {
    const { router } = createApp();
    const bystander = openTab(uniqueUser('bystander'));

    const res = await router.dispatch(runRequest(uniqueUser('offline'), 'thr_o1', 'run_o1', { agent: 'triage', prompt: 'anyone there' }));
    expect(res.status).toBe(200);
    expect((res.body as { runId: string }).runId).toBe('run_o1');
    await settle();
    expect(bystander.socket.runEvents()).toEqual([]);
  });

  it('are not started for a bad request', async () => {
    const { router } = createApp();
    const frank = uniqueUser('frank');
    const tab = openTab(frank);

    const res = await router.dispatch(runRequest(frank, 'thr_f1', 'run_f1', { agent: 'triage' }));
    expect(res.status).toBe(400);
    await settle();
    expect(tab.socket.runEvents()).toEqual([]);
  });
});
