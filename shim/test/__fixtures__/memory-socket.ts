/** An in-memory socket: what a connection wraps, recording every frame it is sent. */
export class MemorySocket {
  readonly frames: string[] = [];
  readyState = 1;
  send(data: string): void {
    if (this.readyState !== 1) throw new Error('socket closed');
    this.frames.push(data);
  }
  close(): void {
    this.readyState = 3;
  }
  parsed(): Array<Record<string, unknown>> {
    return this.frames.map((f) => JSON.parse(f) as Record<string, unknown>);
  }
}
