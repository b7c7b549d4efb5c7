export interface Socket {
  send(data: string): void;
}
