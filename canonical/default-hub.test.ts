/**
 * The process-wide hub is shared by every copy of the canonical module in the process: a loader
 * with its own CommonJS graph (tsx) or separately bundled routes (Next.js) load the package twice,
 * and a module-level hub gave each copy its own — a send through one reached no socket registered
 * through the other. Here a second copy is the same file under another module id.
 */
import { afterEach, expect, test } from 'vitest';
import { getDefaultHub, setDefaultHub } from './hub.js';

type HubModule = typeof import('./hub.js');
const secondCopy = async (): Promise<HubModule> => {
  const spec = './hub.js?second-copy';
  return (await import(/* @vite-ignore */ spec)) as HubModule;
};

afterEach(async () => {
  await getDefaultHub().close();
  setDefaultHub(undefined);
});

test('a second copy of the module sees the same default hub: a socket registered through one gets a send through the other', async () => {
  const copy = await secondCopy();
  expect(copy.getDefaultHub).not.toBe(getDefaultHub); // a second module instance indeed
  const hub = getDefaultHub();
  expect(copy.getDefaultHub()).toBe(hub);
  const frames: string[] = [];
  await hub.addConnection({ connectionId: 'c1', userId: 'p1', socket: { readyState: 1, send: (d: string) => void frames.push(d) }, connectedAt: new Date() });
  expect(await copy.getDefaultHub().publishMessage('p1', { type: 'project_status', status: 'ready' })).toBe(1);
  expect(frames.map((f) => JSON.parse(f) as { type: string; status: string })).toEqual([expect.objectContaining({ type: 'project_status', status: 'ready' })]);
});

test('setDefaultHub through one copy replaces it for the other', async () => {
  const copy = await secondCopy();
  const mine = new copy.ConnectionHub();
  const previous = copy.setDefaultHub(mine);
  expect(getDefaultHub()).toBe(mine);
  expect(previous).not.toBe(mine);
});
