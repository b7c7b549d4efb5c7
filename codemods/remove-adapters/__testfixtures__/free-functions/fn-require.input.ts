declare function require(id: string): typeof import('../legacy/ws');

const { sendToUser: send, countFor } = require('../legacy/ws');

export function nudge(userId: string): number {
  send(userId, { type: 'nudge' });
  return countFor(userId);
}
