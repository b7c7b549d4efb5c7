export type T = import('./legacy.js').AgentRegistry;
