// CRLF + BOM: a module of free functions
const sockets = new Map<string, { send(d: string): void }>();

export function notify(userId: string, message: { type: string }): void {
  sockets.get(userId)?.send(JSON.stringify(message));
}

export function unused(): void {}
