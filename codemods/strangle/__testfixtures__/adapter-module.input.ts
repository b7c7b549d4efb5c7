/** An adapter with notify-style methods, a pure forwarder, and a registry that is not legacy. */
import type { UserExecutionContext } from '../context.js';
import type { Manager } from './manager-module.js';

export class Adapter {
  constructor(
    private readonly manager: Manager,
    private readonly ctx?: UserExecutionContext,
  ) {}

  async notifyStarted(agentName: string): Promise<void> {
    this.manager.send(this.ctx?.userId ?? '', agentName);
  }

  async notifyDone(finalResponse: string, status = 'completed'): Promise<void> {
    this.manager.send(this.ctx?.userId ?? '', `${status}:${finalResponse}`);
  }
}

export class Forwarder {
  constructor(private readonly manager: Manager) {}
  send(userId: string, data: string): void {
    this.manager.send(userId, data);
  }
}

export class Registry {
  readonly names: string[] = [];
}
