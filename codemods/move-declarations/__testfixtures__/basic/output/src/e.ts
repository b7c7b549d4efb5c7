export type T = import('./lib/registry.js').AgentRegistry;
