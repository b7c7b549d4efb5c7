export * from '../websocket_core/protocols.js';
