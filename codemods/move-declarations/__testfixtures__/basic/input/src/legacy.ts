/**
 * The legacy manager module (header comment stays).
 */
import { readFileSync } from 'node:fs';
import type { Config, Other } from './config.js';

export class LegacyManager {
  constructor(readonly registry: AgentRegistry, readonly other?: Other) {}
}

interface Shared {
  id: string;
}

function describeAgent(a: Shared): string {
  return a.id;
}

/** Helper only the registry uses: travels with it. */
function loadAgents(config: Config): Shared[] {
  return JSON.parse(readFileSync(config.path, 'utf8')) as Shared[];
}

/**
 * Not legacy: the agent registry.
 */
export class AgentRegistry {
  readonly agents: Shared[];
  constructor(config: Config) {
    this.agents = loadAgents(config);
  }
  names(): string[] {
    return this.agents.map(describeAgent);
  }
}

export const shared: Shared = { id: 'x' };
