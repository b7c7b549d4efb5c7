'use strict';
// A lazy handler loading the object manager on first use, its members destructured from the namespace.
async function greet(userId, socket) {
  const { register, notify: push } = await import('../legacy/wsManager');
  register(userId, socket);
  push(userId, { type: 'welcome' });
}

async function later(userId) {
  const { notify } = await import('../legacy/wsManager');
  return [userId].map((id) => notify(id, { type: 'later' }));
}

module.exports = { greet, later };
