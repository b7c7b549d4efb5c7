export interface ManagerProtocol {
  isActive(userId: string): boolean;
  send?(userId: string, message: string): Promise<void>;
}

// written against the duplicate: lacks send(), which the canonical type requires
export class ProbeOnly implements ManagerProtocol {
  isActive(): boolean {
    return true;
  }
}
