/** Public surface of scripts/git: the one git module and the one commit-message format. */
export * from './git.js';
export * from './message.js';
