/** Documents the function right below it, not the file: the import goes above it. */
export function registered(userId: string): number {
  const { getRegistry } = require('../legacy/manager');
  return getRegistry().count(userId);
}
