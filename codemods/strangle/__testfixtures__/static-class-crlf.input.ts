export class WebSocketService {
  static io: { emit(event: string, data: unknown): void } | null = null;

  static setIO(io: { emit(event: string, data: unknown): void }): void {
    this.io = io;
  }

  static emitToUser(userId: string, event: string, data: { type: string }): void {
    this.io?.emit(`${userId}:${event}`, data);
  }
}
