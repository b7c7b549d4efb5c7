import { thinking } from '../legacy/ws';

export async function think(userId: string): Promise<void> {
  // TODO(ssot): thinking of src/legacy/ws becomes canonical code that needs the request's context: no value of type UserExecutionContext in scope; pass the request's context to createWebSocketManager(ctx)
  await thinking(userId, 'hmm');
}
