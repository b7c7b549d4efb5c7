import WebSocketClients from '../legacy/clients';
import { WebSocketService } from '../legacy/service';
import { hubOperations } from 'ssot-migrate/canonical';

export function misc(users: string[], io: { emit(event: string, data: unknown): void }): number {
  // called in an arrow: rewritten; a function static read as a value: marked
  users.forEach((u) => hubOperations().sendToUser(u, { type: 'x', payload: null }));
  // TODO(ssot)[WebSocketClients.emitDataToUser]: WebSocketClients.emitDataToUser of src/legacy/clients is used as a value (not called); its template (classes[0].statics) applies to calls: call it in an arrow, or rewrite it by hand
  const send = WebSocketClients.emitDataToUser;
  send('a', 'b', null);
  // a data static with no template, and one written
  // TODO(ssot)[WebSocketClients.webSocketClients]: WebSocketClients.webSocketClients of src/legacy/clients is read but has no template in classes[0].statics; map it in ssot.config.json or rewrite it by hand
  const raw = WebSocketClients.webSocketClients;
  // TODO(ssot)[WebSocketService.io]: WebSocketService.io of src/legacy/service is written: rewrite it by hand
  WebSocketService.io = io;
  // a static with no template, called
  // TODO(ssot)[WebSocketClients.unmapped]: WebSocketClients.unmapped of src/legacy/clients has no template in classes[0].statics; map it in ssot.config.json or rewrite it by hand
  return Object.keys(raw).length + WebSocketClients.unmapped();
}
