'use strict';
// Whole-module loads of legacy modules nothing reads go with their statement; a read one, an
// exported one and one declared with others keep theirs.
const conns = require('../legacy/conns');
export const exportedNs = require('ssot-migrate/canonical');
const a = require('ssot-migrate/canonical'), b = 2;

export function push(userId: string): void {
  conns.sendToUser(userId, { type: 'x' });
}

export async function later(): Promise<number> {
  return b;
}
