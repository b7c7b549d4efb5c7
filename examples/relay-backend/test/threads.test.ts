/**
 * Thread notices, reached through helpers that only pass a userId down, and a timer.
 * Wire format: `thread_renamed` and `typing` frames and their fields are the app's own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/app.js';
import { closeAllTabs, openTab, settle, uniqueUser, until } from './support/memory-socket.js';

afterEach(closeAllTabs);

describe('thread notices', () => {
  it('[wire] a rename reaches every tab of the owner, and only the owner', async () => {
    const { router, services } = createApp();
    const max = uniqueUser('max');
    const nia = uniqueUser('nia');
    const thread = services.threads.create(max, 'Untitled');
    const tabs = [openTab(max), openTab(max)];
    const niaTab = openTab(nia);

    const res = await router.dispatch({ method: 'PATCH', path: `/threads/${thread.id}`, user: { id: max }, body: { title: 'Q3 budget' } });
    expect(res).toEqual({ status: 200, body: { id: thread.id, title: 'Q3 budget' } });
    for (const tab of tabs) {
      await until(() => tab.socket.ofType('thread_renamed').length > 0);
      expect(tab.socket.ofType('thread_renamed')).toEqual([{ type: 'thread_renamed', threadId: thread.id, title: 'Q3 budget' }]);
    }
    await settle();
    expect(niaTab.socket.ofType('thread_renamed')).toEqual([]);
  });

  it("renaming someone else's thread is a 404 and notifies nobody", async () => {
    const { router, services } = createApp();
    const oli = uniqueUser('oli');
    const pam = uniqueUser('pam');
    const thread = services.threads.create(oli, 'Private');
    const oliTab = openTab(oli);
    const pamTab = openTab(pam);

    const res = await router.dispatch({ method: 'PATCH', path: `/threads/${thread.id}`, user: { id: pam }, body: { title: 'Mine now' } });
    expect(res.status).toBe(404);
    await settle();
    expect(oliTab.socket.ofType('thread_renamed')).toEqual([]);
    expect(pamTab.socket.ofType('thread_renamed')).toEqual([]);
  });

  it('[wire] the typing indicator goes on, then off after the quiet period', async () => {
    const { router } = createApp();
    const quinn = uniqueUser('quinn');
    const tab = openTab(quinn);

    const res = await router.dispatch({ method: 'POST', path: '/threads/thr_q1/typing', user: { id: quinn }, body: { ms: 20 } });
    expect(res.status).toBe(204);
    await until(() => tab.socket.ofType('typing').length >= 2);
    expect(tab.socket.ofType('typing')).toEqual([
      { type: 'typing', threadId: 'thr_q1', on: true },
      { type: 'typing', threadId: 'thr_q1', on: false },
    ]);
  });
});
