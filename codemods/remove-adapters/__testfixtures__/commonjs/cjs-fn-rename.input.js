const { notifyUser: notify } = require('../legacy/notify');

exports.deliver = function (userId) {
  notify(userId, 'delivered');
};
