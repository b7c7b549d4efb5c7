// a different protocol under the same name: the canonical one lacks broadcast()
export interface ManagerProtocol {
  broadcast(message: string): void;
}
