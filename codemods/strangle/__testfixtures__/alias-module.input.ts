/** Re-exports the manager under other names and keeps its own copy of the enum. */
import type { Protocol } from './manager-module.js';

export { Manager as AliasManager, Manager } from './manager-module.js';

export enum Mode {
  UNIFIED = 'unified',
  ISOLATED = 'isolated',
}

export type Sender = Pick<Protocol, 'send'>;
