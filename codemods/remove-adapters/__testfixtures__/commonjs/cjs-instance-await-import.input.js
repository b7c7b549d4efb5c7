'use strict';
// Members destructured from the namespace of `module.exports = new Single()`: Node's CommonJS lexer
// exports no name of it (nor does __importStar copy a prototype method), so `isOnline` is undefined
// there and this call throws; the rewrite would make it work: marked, not rewritten.
async function canDeliverLater(userId) {
  const { isOnline } = await import('../legacy/single');
  return isOnline(userId);
}

module.exports = { canDeliverLater };
