import type { Hub } from '../legacy/hub.js';
import { hubOperations } from 'ssot-migrate/canonical';

export function describe(hub: Hub): string {
  const mode = 'live';
  const health = () => ({ ok: hubOperations().health().status === 'ok' });
  return `${mode} ${health().ok}`;
}

export function setMode(hub: Hub): void {
  // TODO(ssot)[Hub.mode]: Hub.mode is assigned; only reads are rewritten from classes[].members
  hub.mode = 'draining';
}
