/** A manager module: class, enum, manager function, types, a constant and a default export. */
export enum Mode {
  UNIFIED = 'unified',
  ISOLATED = 'isolated',
}

export interface Protocol {
  send(userId: string, data: string): void;
}

export interface Page<T> {
  items: T[];
}

export class Manager implements Protocol {
  constructor(readonly mode: Mode = Mode.UNIFIED) {}
  send(_userId: string, _data: string): void {}
}

let shared: Manager | undefined;
export function getManager(): Manager {
  shared ??= new Manager();
  return shared;
}

export function legacyStats(): number {
  return 0;
}

export const MAX = 10;

export default Manager;
