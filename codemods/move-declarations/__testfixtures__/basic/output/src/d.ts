import {
  LegacyManager,
} from './legacy.js';
import { AgentRegistry } from './lib/registry.js';

export const r: AgentRegistry | LegacyManager | undefined = undefined;
