export interface Sender {
  sendToUser(userId: string, payload: unknown): Promise<void>;
  close(): void;
}

export type Quick = { sendToUser(userId: string): void };

export abstract class Base implements Sender {
  abstract sendToUser(userId: string, payload: unknown): Promise<void>;
  close(): void {}
}

export class Relay extends Base {
  // overloads keep their shape
  sendToUser(userId: string): Promise<void>;
  sendToUser(userId: string, payload: unknown): Promise<void>;
  async sendToUser(userId: string, payload?: unknown): Promise<void> {
    await super.sendToUser(userId, payload);
  }
}

export const inline = {
  sendToUser(userId: string) {
    return userId;
  },
};
