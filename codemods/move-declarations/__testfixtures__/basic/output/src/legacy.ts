/**
 * The legacy manager module (header comment stays).
 */
import type { Other } from './config.js';
import { AgentRegistry } from './lib/registry.js';

export class LegacyManager {
  constructor(readonly registry: AgentRegistry, readonly other?: Other) {}
}

export interface Shared {
  id: string;
}

export const shared: Shared = { id: 'x' };
