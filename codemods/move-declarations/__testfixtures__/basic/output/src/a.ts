import { LegacyManager } from './legacy.js';
import { AgentRegistry } from './lib/registry.js';

export const m = new LegacyManager(new AgentRegistry({ path: 'a' }));
