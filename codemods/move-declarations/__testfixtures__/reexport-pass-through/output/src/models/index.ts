export * from './user.model.js';
export { SubscriptionManager, WebSocket, RawData } from './subscriptions.js';
