import { ScopedWebSocketManager } from 'ssot-migrate/canonical';

export async function notify(ws: ScopedWebSocketManager, maybe: ScopedWebSocketManager | undefined, userId: string) {
  await ws.sendMessage(userId, { type: 'hello' });
  maybe?.sendMessage(userId, { type: 'maybe' });
  ws['sendMessage'](userId, { type: "computed" });
  const results = [1, 2].map((n) => ws.sendMessage(userId, { n }));
  return ws
    .withRetry()
    .sendMessage(userId, { type: 'chained' }).then(() => results);
}
