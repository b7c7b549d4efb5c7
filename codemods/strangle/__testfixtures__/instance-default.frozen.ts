// A module whose default export is the instance it builds (`export default new …`), its class not exported.
class Presence {
  private readonly online = new Set<string>();

  join(userId: string): void {
    this.online.add(userId);
  }

  isOnline(userId: string): boolean {
    return this.online.has(userId);
  }
}

export default new Presence();
