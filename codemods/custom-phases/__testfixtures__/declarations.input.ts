export interface Sender {
  sendMessage(userId: string, payload: unknown): Promise<void>;
  close(): void;
}

export type Quick = { sendMessage(userId: string): void };

export abstract class Base implements Sender {
  abstract sendMessage(userId: string, payload: unknown): Promise<void>;
  close(): void {}
}

export class Relay extends Base {
  // overloads keep their shape
  sendMessage(userId: string): Promise<void>;
  sendMessage(userId: string, payload: unknown): Promise<void>;
  async sendMessage(userId: string, payload?: unknown): Promise<void> {
    await super.sendMessage(userId, payload);
  }
}

export const inline = {
  sendMessage(userId: string) {
    return userId;
  },
};
