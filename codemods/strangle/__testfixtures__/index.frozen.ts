/** The package index: export-star hub, a renamed re-export and a constant. */
export * from './manager-module.legacy.js';
export { Factory } from './factory-module.legacy.js';

export const EVENTS = ['agent_started', 'agent_completed'] as const;
