'use strict';
// The instance a CommonJS module exports whole, loaded under a condition and handed on as a value:
// the canonical module has no such instance, so neither load is retargeted (remove-adapters
// rewrites the member calls from classes[]; the loads stay for remove-shim's gate to name).
const wsManager = process.env.REALTIME ? require('../legacy/ws-instance') : undefined;

function greet(userId) {
  if (wsManager) wsManager.sendToUser(userId, 'hello', {});
}

function registerAll(register) {
  register(require('../legacy/ws-instance'));
}

const held = require('../legacy/ws-instance');
function registerHeld(register) {
  register(held);
}

module.exports = { greet, registerAll, registerHeld };
