import type { ManagerMode } from './canonical.js';

interface ManagerProtocol {
  isActive(userId: string): boolean;
}

export function check(m: ManagerProtocol, mode: ManagerMode): boolean {
  return m.isActive(String(mode));
}
