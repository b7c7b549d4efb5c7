export const EventTypes = { STARTED: 'started', DONE: 'done' } as const;

export class LegacyBus {
  emit(t: (typeof EventTypes)[keyof typeof EventTypes]): void {
    void t;
  }
}
