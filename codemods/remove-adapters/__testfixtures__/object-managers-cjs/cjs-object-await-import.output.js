'use strict';
const { hubOperations } = require('ssot-migrate/canonical');

// A lazy handler loading the object manager on first use, its members destructured from the namespace.
async function greet(userId, socket) {
  const hub = hubOperations();
  hub.connect(String(userId), socket);
  hub.sendToUser(String(userId), { type: 'welcome' });
}

async function later(userId) {
  return [userId].map((id) => hubOperations().sendToUser(String(id), { type: 'later' }));
}

module.exports = { greet, later };
