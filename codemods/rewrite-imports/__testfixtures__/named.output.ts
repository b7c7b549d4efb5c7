import { WebSocketManager } from 'ssot-migrate/canonical';
import { readFileSync } from 'node:fs';

export function build(): WebSocketManager {
  const m: WebSocketManager = new WebSocketManager();
  void readFileSync;
  return m;
}
