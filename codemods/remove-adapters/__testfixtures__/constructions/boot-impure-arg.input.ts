import { makeServer } from '../ws.js';
import { BootManager } from '../legacy/boot.js';

// the replacement uses $1 twice: an argument with side effects is evaluated once, ahead of it
export const impure = new BootManager(makeServer());

// an awaited argument is evaluated where the construction was (the arrow only holds the replacement)
export async function later(): Promise<unknown> {
  const wss = new BootManager(await Promise.resolve(makeServer()));
  return wss;
}
