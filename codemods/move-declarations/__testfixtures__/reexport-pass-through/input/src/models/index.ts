export * from './user.model.js';
export * from './websockets.model.js';
