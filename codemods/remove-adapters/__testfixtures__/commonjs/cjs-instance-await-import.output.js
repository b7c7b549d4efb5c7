'use strict';
// Members destructured from the namespace of `module.exports = new Single()`: Node's CommonJS lexer
// exports no name of it (nor does __importStar copy a prototype method), so `isOnline` is undefined
// there and this call throws; the rewrite would make it work: marked, not rewritten.
async function canDeliverLater(userId) {
  // TODO(ssot): members of Single are destructured from `await import('../legacy/single')`, the namespace of a module whose export is an instance: it holds the instance's own properties at most (Node's CommonJS lexer exports no name of `module.exports = new …`, TypeScript's __importStar copies no prototype method), so these bindings may be undefined where the legacy call throws — call them on the object so their templates apply, or rewrite by hand
  const { isOnline } = await import('../legacy/single');
  return isOnline(userId);
}

module.exports = { canDeliverLater };
