/**
 * Duplicate protocol with a wider return type: the canonical one fits everywhere it is used.
 */
export interface ManagerProtocol {
  send(userId: string, message: string): Promise<unknown>;
  isActive(userId: string): boolean;
}

export const version = 2;
