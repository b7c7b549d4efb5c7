const legacy = require('../core/legacy');

export const started = legacy.EventTypes.STARTED;
