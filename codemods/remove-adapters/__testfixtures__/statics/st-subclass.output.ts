import WebSocketClients from '../legacy/clients';
import { hubOperations } from 'ssot-migrate/canonical';

// the app's own subclass: its statics' `this.x` and `MyClients.x` are the legacy statics
// TODO(ssot)[WebSocketClients]: `WebSocketClients` reads the legacy class WebSocketClients itself; classes[0].statics rewrites its statics' calls and reads, not the class: replace it by hand (e.g. the canonical code the statics became)
export class MyClients extends WebSocketClients {
  static hello(userId: string): void {
    hubOperations().sendToUser(userId, { type: 'hello', payload: {} });
  }
}

export function greet(userId: string): void {
  hubOperations().sendToUser(userId, { type: 'greet', payload: {} });
}
