// A module of free functions whose manifest entry turns registration off (registration: []):
// addClient's template calls $hub.connect, but it is not run on both sides.
const clients = new Map<string, { send(data: string): void }>();

export function addClient(userId: string, ws: { send(data: string): void }): void {
  clients.set(userId, ws);
}

export function sendTo(userId: string, msg: Record<string, unknown>): void {
  clients.get(userId)?.send(JSON.stringify(msg));
}
