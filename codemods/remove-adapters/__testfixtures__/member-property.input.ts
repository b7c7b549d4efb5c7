import type { Hub } from '../legacy/hub.js';

export function describe(hub: Hub): string {
  const mode = hub.mode;
  const health = () => hub.health();
  return `${mode} ${health().ok}`;
}

export function setMode(hub: Hub): void {
  hub.mode = 'draining';
}
