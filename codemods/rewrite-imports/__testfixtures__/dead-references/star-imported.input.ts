// consumer.ts re-exports all of this file: every name is in use
export { MAX_CONNECTIONS } from '../legacy/manager.js';
