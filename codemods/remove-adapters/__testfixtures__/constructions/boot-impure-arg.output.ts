import { makeServer } from '../ws.js';
import { BootManager } from '../legacy/boot.js';

// the replacement uses $1 twice: an argument with side effects is not repeated
// TODO(ssot): constructions[0].replacement uses argument 1 2 times and `makeServer()` may have side effects; bind it to a const first
export const impure = new BootManager(makeServer());
