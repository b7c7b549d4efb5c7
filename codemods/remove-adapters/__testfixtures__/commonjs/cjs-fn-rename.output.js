const { hubOperations } = require('ssot-migrate/canonical');
exports.deliver = function (userId) {
  hubOperations().sendToUser(String(userId), { event: 'notification', data: { message: 'delivered' } });
};
