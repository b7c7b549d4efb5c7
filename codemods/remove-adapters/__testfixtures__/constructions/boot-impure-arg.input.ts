import { makeServer } from '../ws.js';
import { BootManager } from '../legacy/boot.js';

// the replacement uses $1 twice: an argument with side effects is not repeated
export const impure = new BootManager(makeServer());
