import { EventTypes } from './events';

export class LegacyBus {
  emit(t: (typeof EventTypes)[keyof typeof EventTypes]): void {
    void t;
  }
}
