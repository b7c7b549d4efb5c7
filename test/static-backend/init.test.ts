/**
 * init on the static-class backend (test/static-backend/app.ts): the class is drafted with the
 * statics the app uses (counted through both default-import names), each an optional TODO (no hub
 * operation has their names), no instance member, and the draft loads.
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { draftManifest } from '../../codemods/init/index.js';
import { parseManifest } from '../../manifest/index.js';
import { APP_FILES } from './app.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('init on the static-class backend', () => {
  const files = new Map(Object.entries(APP_FILES).filter(([f]) => /\.(ts|json)$/.test(f) && !f.startsWith('vitest')));
  const r = draftManifest({ repoDir: '/virtual/static-backend', files, canonicalEntry: path.join(root, 'canonical/index.ts'), legacy: ['src/websocket/WebSocketClients'] });

  test('drafts the class with the statics the app uses, with their counts, each a TODO saying why', () => {
    expect(r.findings.classes).toEqual([
      {
        module: 'src/websocket/WebSocketClients',
        class: 'WebSocketClients',
        members: [],
        statics: [
          { member: 'emitDataToUser', uses: 1 },
          { member: 'emitDataToUsers', uses: 1 },
          { member: 'registerWebSocketClient', uses: 1 },
          { member: 'removeWebSocketClient', uses: 1 },
        ],
      },
    ]);
    expect(r.todo.filter((t) => t.field.startsWith('classes[0].statics.')).map((t) => t.field)).toEqual([
      'classes[0].statics.emitDataToUser',
      'classes[0].statics.emitDataToUsers',
      'classes[0].statics.registerWebSocketClient',
      'classes[0].statics.removeWebSocketClient',
    ]);
    expect(parseManifest(r.text, 'ssot.config.json').classes[0]).toMatchObject({ class: 'WebSocketClients', statics: {} });
  });
});
