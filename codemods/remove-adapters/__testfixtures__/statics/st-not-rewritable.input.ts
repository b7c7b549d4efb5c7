import WebSocketClients from '../legacy/clients';
import { WebSocketService } from '../legacy/service';

export function misc(users: string[], io: { emit(event: string, data: unknown): void }): number {
  // called in an arrow: rewritten; a function static read as a value: marked
  users.forEach((u) => WebSocketClients.emitDataToUser(u, 'x', null));
  const send = WebSocketClients.emitDataToUser;
  send('a', 'b', null);
  // a data static with no template, and one written
  const raw = WebSocketClients.webSocketClients;
  WebSocketService.io = io;
  // a static with no template, called
  return Object.keys(raw).length + WebSocketClients.unmapped();
}
