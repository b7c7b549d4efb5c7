/** Background jobs: the self-alias `X as X` left behind by opposing regex codemods (45 in the original). */
import { WebSocketManager as WebSocketManager } from '../websocket_core/websocket_manager.js';
import { getWebSocketManager as getWebSocketManager } from '../websocket_core/websocket_manager.js';

export async function reportJobProgress(userId: string, jobId: string, percent: number): Promise<void> {
  const manager: WebSocketManager = getWebSocketManager();
  await manager.sendToUser(userId, { type: 'progress_update', jobId, percent });
}
