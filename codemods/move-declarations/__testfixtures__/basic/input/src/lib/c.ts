export { AgentRegistry } from '../legacy.js';
export { shared } from '../legacy.js';
