/** The package index: export-star hub, a renamed re-export and a constant. */
export * from './manager-module.js';
export { Factory } from './factory-module.js';

export const EVENTS = ['agent_started', 'agent_completed'] as const;
