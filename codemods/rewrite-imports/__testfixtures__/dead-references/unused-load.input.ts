/** Loads of the legacy module whose bindings nothing reads (a fallback left behind). */
export async function recover(flag: boolean) {
  try {
    const compat = await import('../legacy/manager.js');
    return flag;
  } catch {
    const { getManager } = require('../legacy/manager.js');
    const { Manager } = require('../legacy/manager.js') as typeof import('../legacy/manager.js');
    const used = await import('../legacy/manager.js');
    const other = await import('./other.js');
    return used.getManager();
  }
}
