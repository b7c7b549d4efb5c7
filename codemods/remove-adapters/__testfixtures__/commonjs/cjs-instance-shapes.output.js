'use strict';
// the three CommonJS shapes of an exported instance, handed on as values (instances[])
const { takes } = require('../lib/plugin');
const { LIMIT } = require('../legacy/named');
const { hubOperations } = require('ssot-migrate/canonical');

exports.boot = function () {
  takes(hubOperations());
  takes({ held: hubOperations() });
  takes([hubOperations(), hubOperations()]);
  return LIMIT;
};
