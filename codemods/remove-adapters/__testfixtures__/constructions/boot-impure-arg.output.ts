import { makeServer } from '../ws.js';
import { attachCanonical } from 'ssot-migrate/canonical';

// the replacement uses $1 twice: an argument with side effects is evaluated once, ahead of it
export const impure = (($1) => attachCanonical($1, { path: $1.options.path }))(makeServer());

// an awaited argument is evaluated where the construction was (the arrow only holds the replacement)
export async function later(): Promise<unknown> {
  const wss = (($1) => attachCanonical($1, { path: $1.options.path }))(await Promise.resolve(makeServer()));
  return wss;
}
