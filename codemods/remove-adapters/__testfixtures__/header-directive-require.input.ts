// CommonJS island: plain require() of the legacy module, the way old scripts loaded it.
/* eslint-disable @typescript-eslint/no-require-imports */
const manager = require('../legacy/manager');

export function registered(userId: string): number {
  return manager.getRegistry().count(userId);
}
