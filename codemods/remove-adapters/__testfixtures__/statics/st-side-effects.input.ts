import WebSocketClients from '../legacy/clients';
import { WebSocketService } from '../legacy/service';

declare function pick(): typeof WebSocketClients;

// a receiver with side effects is not dropped silently; an argument with side effects runs once
export async function sideEffects(userId: string, load: () => Promise<unknown>): Promise<void> {
  pick().emitDataToUser(userId, 'picked', null);
  WebSocketClients.emitDataToUser(userId, 'loaded', await load());
  WebSocketService.setIO({ emit: () => undefined });
}
