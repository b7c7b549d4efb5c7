import WebSocketClients from '../legacy/clients';
import { hubOperations } from 'ssot-migrate/canonical';

// TODO(ssot)[WebSocketClients]: `typeof WebSocketClients` names the legacy class WebSocketClients itself; classes[0].statics rewrites its statics' calls and reads, not the class: replace it by hand (e.g. the canonical code the statics became)
declare function pick(): typeof WebSocketClients;

// a receiver with side effects is not dropped silently; an argument with side effects runs once
export async function sideEffects(userId: string, load: () => Promise<unknown>): Promise<void> {
  // TODO(ssot)[WebSocketClients.emitDataToUser]: the template of WebSocketClients.emitDataToUser of src/legacy/clients does not use the receiver, and `pick()` may have side effects; bind it to a const first
  pick().emitDataToUser(userId, 'picked', null);
  hubOperations().sendToUser(userId, { type: 'loaded', payload: await load() });
}
