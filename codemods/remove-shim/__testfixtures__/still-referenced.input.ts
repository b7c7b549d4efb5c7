export function loadLegacy() {
  return import('../legacy/manager.js');
}

export const loaded = loadLegacy();
