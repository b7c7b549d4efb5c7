export type { ManagerProtocol } from './canonical.js';

export const version = 2;
