/** Re-exports of the legacy module; only getLegacyManager is imported (by consumer.ts). */
export { Manager, getManager as getLegacyManager, type ManagerStats } from '../legacy/manager.js';
export {
  MAX_CONNECTIONS, // a comment that goes with it
} from '../legacy/manager.js';
export { a } from './other.js';
export const local = 1;
