/**
 * Background jobs: their run events reach the job's user, in order, also when a job runs
 * twice in a row; a failed job tells its user. Wire format: `job_failed` and its fields are
 * the app's own; run events are read by `type` and `runId` only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/app.js';
import { RUN_SEQUENCE, closeAllTabs, openTab, settle, uniqueUser, until } from './support/memory-socket.js';

afterEach(closeAllTabs);

describe('jobs', () => {
  it('the digest job run twice in a row delivers two complete runs, in order', async () => {
    const { services } = createApp();
    const ivy = uniqueUser('ivy');
    const other = openTab(uniqueUser('other'));
    const tabs = [openTab(ivy), openTab(ivy)];

    const messages = ['hello there', 'how are you doing'];
    services.queue.enqueue('digest', { userId: ivy, threadId: 'thr_i1', runId: 'run_i1', messages });
    services.queue.enqueue('digest', { userId: ivy, threadId: 'thr_i1', runId: 'run_i2', messages });
    await services.queue.idle();
    for (const tab of tabs) await until(() => tab.socket.runEvents().length >= 10);
    await settle();

    const expected = [...RUN_SEQUENCE.map((t) => [t, 'run_i1']), ...RUN_SEQUENCE.map((t) => [t, 'run_i2'])];
    for (const tab of tabs) {
      expect(tab.socket.runEvents().map((e) => [e.type, e.runId])).toEqual(expected);
      expect(tab.socket.runEvents().every((e) => e.threadId === 'thr_i1')).toBe(true);
    }
    expect(other.socket.runEvents()).toEqual([]);
  });

  it('a thread summary queued over HTTP streams its run to the owner, twice in a row', async () => {
    const { router, services } = createApp();
    const jo = uniqueUser('jo');
    const thread = services.threads.create(jo, 'Trip to Lisbon');
    services.threads.append(thread.id, 'flights are booked');
    services.threads.append(thread.id, 'hotel still open');
    const tab = openTab(jo);

    const first = await router.dispatch({ method: 'POST', path: `/threads/${thread.id}/summary`, user: { id: jo }, headers: { 'x-run-id': 'run_j1' } });
    const second = await router.dispatch({ method: 'POST', path: `/threads/${thread.id}/summary`, user: { id: jo }, headers: { 'x-run-id': 'run_j2' } });
    expect(first).toMatchObject({ status: 202, body: { runId: 'run_j1' } });
    expect(second).toMatchObject({ status: 202, body: { runId: 'run_j2' } });
    await services.queue.idle();
    await until(() => tab.socket.runEvents().length >= 10);
    await settle();

    expect(tab.socket.runEvents().map((e) => [e.type, e.runId, e.threadId])).toEqual([
      ...RUN_SEQUENCE.map((t) => [t, 'run_j1', thread.id]),
      ...RUN_SEQUENCE.map((t) => [t, 'run_j2', thread.id]),
    ]);
  });

  it("[wire] a failed job tells its user (and nobody else), and the queue keeps going", async () => {
    const { services } = createApp();
    const kim = uniqueUser('kim');
    const tab = openTab(kim);
    const other = openTab(uniqueUser('lee'));

    services.queue.enqueue('summarize-thread', { userId: kim, threadId: 'thr_missing', runId: 'run_k1' });
    services.queue.enqueue('digest', { userId: kim, threadId: 'thr_k2', runId: 'run_k2', messages: ['still here'] });
    await services.queue.idle();
    await until(() => tab.socket.ofType('job_failed').length > 0 && tab.socket.runEvents().length >= 5);
    await settle();

    expect(tab.socket.ofType('job_failed')).toEqual([
      expect.objectContaining({ type: 'job_failed', job: 'summarize-thread', runId: 'run_k1', reason: 'no thread thr_missing' }),
    ]);
    expect(tab.socket.runEvents().map((e) => e.runId)).toEqual(Array(5).fill('run_k2'));
    expect(other.socket.frames.filter((f) => f.type !== 'hello')).toEqual([]);
  });
});
