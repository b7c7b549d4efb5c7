export class LegacyBridge {
  load() {
    return import('../legacy/manager.js');
  }
}

export const ready = true;
