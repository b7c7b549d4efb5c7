// An exported instance in a CRLF file with a BOM: registration found from the templates ($hub.connect, $hub.disconnect).
export class Lobby {
  private peers = new Map<string, { send(data: string): void }>();
  join(id: string, peer: { send(data: string): void }): void {
    this.peers.set(id, peer);
  }
  part(id: string): void {
    this.peers.delete(id);
  }
  post(id: string, text: string): void {
    this.peers.get(id)?.send(JSON.stringify({ text }));
  }
}

export const lobby = new Lobby();
