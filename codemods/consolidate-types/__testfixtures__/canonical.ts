/** The declarations that stay (the fixture manifest points duplicateTypes here). */
export enum ManagerMode {
  UNIFIED = 'unified',
  ISOLATED = 'isolated',
  EMERGENCY = 'emergency',
}

export interface ManagerProtocol {
  send(userId: string, message: string): Promise<void>;
  isActive(userId: string): boolean;
}

export type ManagerId = string;

export interface Notifier {
  notify(event: string): void;
}
