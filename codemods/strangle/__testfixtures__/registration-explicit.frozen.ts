// An object manager whose manifest entry names its registration members (registration: enter, leave):
// leave unregisters in the legacy code, though its template (a farewell frame) calls no hub registration.
const rooms_ = new Map<string, { send(data: string): void }>();

export const rooms = {
  enter(id: string, socket: { send(data: string): void }): void {
    rooms_.set(id, socket);
  },
  leave(id: string): void {
    rooms_.get(id)?.send(JSON.stringify({ type: 'left' }));
    rooms_.delete(id);
  },
  say(id: string, text: string): void {
    rooms_.get(id)?.send(JSON.stringify({ text }));
  },
};
