import { Hub, type HubEvent } from '../legacy/hub.js';
import { hubOperations } from 'ssot-migrate/canonical';

// The app's own subclass of a legacy class reaching the legacy members through `super`: `super`
// alone does not parse, so a template's `$m` is `this` (the object the member runs on) and a
// template that does not use the receiver drops it, as it drops `this`.
export class LoudHub extends Hub {
  override publish(userId: string, event: HubEvent): number {
    return hubOperations().sendToUser(userId, { ...event, loud: true });
  }

  ping(userId: string): boolean {
    return hubOperations().isOnline(userId) && super['isOnline'](userId.trim());
  }

  label(): string {
    return `hub ${typeof this}`;
  }

  static make(): LoudHub {
    return new LoudHub();
  }
}
