import { readFileSync } from 'node:fs';
import type { Config } from '../config.js';
import type { Shared } from '../legacy.js';

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
