export { AgentRegistry } from './registry.js';
export { shared } from '../legacy.js';
