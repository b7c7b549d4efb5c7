import { ScopedWebSocketManager } from 'ssot-migrate/canonical';

export async function notify(ws: ScopedWebSocketManager, maybe: ScopedWebSocketManager | undefined, userId: string) {
  await ws.sendToUser(userId, { type: 'hello' });
  maybe?.sendToUser(userId, { type: 'maybe' });
  ws['sendToUser'](userId, { type: "computed" });
  const results = [1, 2].map((n) => ws.sendToUser(userId, { n }));
  return ws
    .withRetry()
    .sendToUser(userId, { type: 'chained' }).then(() => results);
}
