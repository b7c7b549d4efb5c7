import type { ManagerMode, ManagerProtocol } from './canonical.js';

export function check(m: ManagerProtocol, mode: ManagerMode): boolean {
  return m.isActive(String(mode));
}
