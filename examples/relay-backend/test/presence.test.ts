/**
 * Broadcast, connection counts and the public API. Wire format: the `announcement` and
 * `notice` frames and their fields are the app's own; the counts come from HTTP responses
 * and the public API, not from frames.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isUserOnline, notifyUser, onlineUsers } from '../src/api/index.js';
import { dropSocket } from '../src/http/gateway.js';
import { createApp } from '../src/http/app.js';
import { closeAllTabs, openTab, settle, uniqueUser, until } from './support/memory-socket.js';

afterEach(closeAllTabs);

const admin = { id: 'usr_admin_ops', roles: ['admin'] };

describe('broadcast', () => {
  it('[wire] reaches every open tab of every user', async () => {
    const { router } = createApp();
    const ann = uniqueUser('ann');
    const ben = uniqueUser('ben');
    const tabs = [openTab(ann), openTab(ann), openTab(ben)];

    const res = await router.dispatch({ method: 'POST', path: '/admin/announce', user: admin, body: { text: 'maintenance at 22:00' } });
    expect(res.status).toBe(200);
    expect((res.body as { sockets: number }).sockets).toBe(3);
    for (const tab of tabs) {
      await until(() => tab.socket.ofType('announcement').length > 0);
      expect(tab.socket.ofType('announcement')).toEqual([{ type: 'announcement', text: 'maintenance at 22:00', from: admin.id }]);
    }
  });

  it('is refused for non-admins, and sends nothing', async () => {
    const { router } = createApp();
    const cy = uniqueUser('cy');
    const tab = openTab(cy);

    const res = await router.dispatch({ method: 'POST', path: '/admin/announce', user: { id: cy }, body: { text: 'free pizza' } });
    expect(res.status).toBe(403);
    await settle();
    expect(tab.socket.ofType('announcement')).toEqual([]);
  });
});

describe('connection counts', () => {
  it('follow sockets opening and closing, per user and in total', async () => {
    const { router } = createApp();
    const dee = uniqueUser('dee');
    const eli = uniqueUser('eli');
    const d1 = openTab(dee);
    openTab(dee);
    openTab(eli);

    const one = async (userId: string) => (await router.dispatch({ method: 'GET', path: `/presence/${userId}`, user: { id: userId } })).body;
    expect(await one(dee)).toEqual({ userId: dee, online: true, connections: 2 });
    expect(await one(eli)).toEqual({ userId: eli, online: true, connections: 1 });

    const all = await router.dispatch({ method: 'GET', path: '/presence', user: admin });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ users: [dee, eli].sort(), connections: 3, perUser: { [dee]: 2, [eli]: 1 } });
    expect((all.body as { health: { status: string } }).health.status).toBe('ok');

    expect(dropSocket(d1.connectionId)).toBe(true);
    expect(dropSocket(d1.connectionId)).toBe(false);
    expect(await one(dee)).toEqual({ userId: dee, online: true, connections: 1 });
    closeAllTabs();
    expect(await one(dee)).toEqual({ userId: dee, online: false, connections: 0 });
    expect((await router.dispatch({ method: 'GET', path: '/presence', user: admin })).body).toMatchObject({ users: [], connections: 0 });
  });

  it('the admin list needs an admin', async () => {
    const { router } = createApp();
    const res = await router.dispatch({ method: 'GET', path: '/presence', user: { id: uniqueUser('nosy') } });
    expect(res.status).toBe(403);
  });
});

describe('public API', () => {
  it('[wire] notifyUser reaches every tab of that user only', async () => {
    const fay = uniqueUser('fay');
    const gus = uniqueUser('gus');
    const fayTabs = [openTab(fay), openTab(fay)];
    const gusTab = openTab(gus);

    expect(notifyUser(fay, 'your export is ready')).toBe(2);
    for (const tab of fayTabs) {
      await until(() => tab.socket.ofType('notice').length > 0);
      expect(tab.socket.ofType('notice')).toEqual([{ type: 'notice', level: 'info', text: 'your export is ready' }]);
    }
    await settle();
    expect(gusTab.socket.ofType('notice')).toEqual([]);
  });

  it('reports who is online', () => {
    const hal = uniqueUser('hal');
    expect(isUserOnline(hal)).toBe(false);
    expect(notifyUser(hal, 'nobody home')).toBe(0);
    openTab(hal);
    expect(isUserOnline(hal)).toBe(true);
    expect(onlineUsers()).toContain(hal);
  });
});
