'use strict';
// Whole-module loads of legacy modules nothing reads go with their statement; a read one, an
// exported one and one declared with others keep theirs.
const unusedInstance = require('../legacy/ws-instance'); // the instance, never read
const conns = require('../legacy/conns');
import * as unusedNs from '../websocket_core/websocket_manager.js';
import unusedEquals = require('../websocket_core/protocols');
export const exportedNs = require('../legacy/conns');
const a = require('../legacy/conns'), b = 2;

export function push(userId: string): void {
  conns.sendToUser(userId, { type: 'x' });
}

export async function later(): Promise<number> {
  const lazy = await import('../websocket_core/websocket_manager.js');
  return b;
}
