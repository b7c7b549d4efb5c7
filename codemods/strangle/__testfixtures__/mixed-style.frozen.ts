// Half reformatted: two of its three imports use double quotes and no semicolons, so its facade
// does too (the majority of the import declarations, not the first one; a tie goes to the first).
import type { Protocol } from './manager-module.legacy.js';
import type { Id } from "../shared/ids.js"
import { NAME } from "../shared/names.js"

export class MixedManager {
  readonly label: string = NAME;
  send(userId: Id, message: object): boolean {
    return userId.length > 0 && message !== null;
  }
}

export type MixedSender = Pick<Protocol, 'send'>;
