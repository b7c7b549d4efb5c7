// A manager used only through its statics (classes[].statics): never instantiated.
type Socket = { send(data: string): void };

export default class WebSocketClients {
  public static webSocketClients: { [userId: string]: Socket[] } = {};

  static registerWebSocketClient = (userId: string, webSocket: Socket): void => {
    WebSocketClients.webSocketClients[userId] = [...(WebSocketClients.webSocketClients[userId] ?? []), webSocket];
  };

  static emitDataToUser = (userId: string, messageType: string, messageData: unknown): void => {
    for (const ws of WebSocketClients.webSocketClients[userId] ?? []) ws.send(JSON.stringify({ type: messageType, payload: messageData }));
  };

  static emitDataToUsers(users: string[], messageType: string, messageData: unknown): void {
    for (const u of users) this.emitDataToUser(u, messageType, messageData);
  }

  static get connectedUsers(): string[] {
    return Object.keys(this.webSocketClients);
  }

  static countFor(userId: string): number {
    return (this.webSocketClients[userId] ?? []).length;
  }
}
