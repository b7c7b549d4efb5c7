'use strict';
// the three CommonJS shapes of an exported instance, handed on as values (instances[])
const { takes } = require('../lib/plugin');
const single = require('../legacy/single');
const held = require('../legacy/held');
const { named, LIMIT } = require('../legacy/named');
const namedToo = require('../legacy/named').named;

exports.boot = function () {
  takes(single);
  takes({ held });
  takes([named, namedToo]);
  return LIMIT;
};
