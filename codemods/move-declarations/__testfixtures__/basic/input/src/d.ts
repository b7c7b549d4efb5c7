import {
  AgentRegistry as AgentRegistry,
  LegacyManager as LegacyManager,
} from './legacy.js';

export const r: AgentRegistry | LegacyManager | undefined = undefined;
