/** Re-exports of the legacy module; only getLegacyManager is imported (by consumer.ts). */
export { getManager as getLegacyManager } from '../legacy/manager.js';
export { a } from './other.js';
export const local = 1;
