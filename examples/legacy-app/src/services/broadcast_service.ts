/** System broadcasts: a default import of the manager class, used as a type. */
import UnifiedWSM, { getWebSocketManager } from '../websocket_core/unified_manager.js';

export class BroadcastService {
  constructor(private readonly manager: UnifiedWSM = getWebSocketManager()) {}

  async announceMaintenance(minutes: number): Promise<number> {
    return this.manager.broadcast({ type: 'system_message', message: `Maintenance in ${minutes} minutes` });
  }
}
