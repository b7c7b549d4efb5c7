import { AgentRegistry, LegacyManager } from './legacy.js';

export const m = new LegacyManager(new AgentRegistry({ path: 'a' }));
