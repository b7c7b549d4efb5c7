// A plain JavaScript class used only through its statics (classes[].statics): its facade is
// JavaScript too, the statics table untyped.
export class WebSocketService {
  static io = null;

  static setIO(io) {
    this.io = io;
  }

  static emitToUser(userId, event, data) {
    if (this.io) this.io.to(userId).emit(event, data);
  }
}
