/** Loads of the legacy module whose bindings nothing reads (a fallback left behind). */
export async function recover(flag: boolean) {
  try {
    return flag;
  } catch {
    const used = await import('../legacy/manager.js');
    const other = await import('./other.js');
    return used.getManager();
  }
}
