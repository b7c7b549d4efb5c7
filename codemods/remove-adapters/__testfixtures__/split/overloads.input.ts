import type { Message } from './socket';

export class Hub {
  label = 'hub';

  push(message: Message, id: number): void;
  push(message: Message, id: string): void;
  push(message: Message, id: number | string): void {
    void message;
    void id;
  }

  isConnected(id: number): boolean {
    return id > 0;
  }
}

export const hello = (h: Hub) => (h.isConnected(1) ? h.label : 'none');
