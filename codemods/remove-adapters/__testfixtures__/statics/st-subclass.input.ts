import WebSocketClients from '../legacy/clients';

// the app's own subclass: its statics' `this.x` and `MyClients.x` are the legacy statics
export class MyClients extends WebSocketClients {
  static hello(userId: string): void {
    this.emitDataToUser(userId, 'hello', {});
  }
}

export function greet(userId: string): void {
  MyClients.emitDataToUser(userId, 'greet', {});
}
