// require() is untyped: the legacy module's own declarations say what each member chain is
const manager = require('../legacy/manager');

export function registered(userId: string): number {
  return manager.getRegistry().count(userId);
}

export function registeredToo(userId: string): number {
  const { getRegistry } = require('../legacy/manager');
  return getRegistry().count(userId);
}
