// A legacy module of free functions over module-level state (no class).
type Socket = { send(data: string): void };

const connections = new Map<string, Socket[]>();

export function addClient(userId: string, ws: Socket): void {
  connections.set(userId, [...(connections.get(userId) ?? []), ws]);
}

export function removeClient(userId: string, ws: Socket): void {
  connections.set(userId, (connections.get(userId) ?? []).filter((s) => s !== ws));
}

export function sendToUser(userId: string, message: { type: string }): void {
  for (const s of connections.get(userId) ?? []) s.send(JSON.stringify(message));
}

export const broadcast = (message: { type: string }): void => {
  // a call inside the legacy module stays on the frozen function
  for (const userId of connections.keys()) sendToUser(userId, message);
};

export function countFor(userId: string): number {
  return (connections.get(userId) ?? []).length;
}

export const MAX_SOCKETS = 8;
export default { sendToUser, send: broadcast };
export type { Socket };
