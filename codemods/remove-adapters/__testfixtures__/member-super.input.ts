import { Hub, type HubEvent } from '../legacy/hub.js';

// The app's own subclass of a legacy class reaching the legacy members through `super`: `super`
// alone does not parse, so a template's `$m` is `this` (the object the member runs on) and a
// template that does not use the receiver drops it, as it drops `this`.
export class LoudHub extends Hub {
  override publish(userId: string, event: HubEvent): number {
    return super.publish(userId, { ...event, loud: true });
  }

  ping(userId: string): boolean {
    return super.isOnline(userId) && super['isOnline'](userId.trim());
  }

  label(): string {
    return super.describe();
  }

  static make(): LoudHub {
    return new LoudHub();
  }
}
