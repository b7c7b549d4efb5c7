/**
 * `init` on the NestJS-shaped backend (app.ts): every provider injected with the legacy
 * provider — the gateway, the controller, and the legacy wrapper the job handler is injected with
 * — is built by the container from its constructor's parameter types, and nothing writes `new` of
 * one. None is an adapters[] entry (remove-adapters would look for `new` wrappers that do not
 * exist, and each entry was a required TODO); each is a note in the TODO list saying what to
 * write instead, and the draft loads.
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { draftManifest } from '../../codemods/init/index.js';
import { parseManifest } from '../../manifest/index.js';
import { FILES, TSCONFIG } from './app.js';

const TOOLKIT = path.resolve(import.meta.dirname, '../..');

describe('init on a backend whose legacy provider a DI container injects', () => {
  const files = new Map<string, string>(Object.entries({ ...FILES, 'tsconfig.json': TSCONFIG }).filter(([f]) => /\.(ts|json)$/.test(f)));
  const r = draftManifest({ repoDir: '/virtual/split-backend', files, canonicalEntry: path.join(TOOLKIT, 'canonical/index.ts'), legacy: ['src/realtime/realtime.service.ts'] });

  test('no adapters[] entry for a class the container builds; a note per class instead, none required', () => {
    expect(r.manifest.adapters).toEqual([]);
    expect(r.findings.injectedWrappers.map((w) => [w.class, w.wraps])).toEqual([
      ['Gateway', 'RealtimeService'],
      ['Controller', 'RealtimeService'],
      ['NotifierService', 'RealtimeService'],
    ]);
    const notes = r.todo.filter((t) => t.field === 'adapters');
    expect(notes.map((n) => n.required)).toEqual([false, false, false]);
    expect(notes[2]!.what).toContain('NotifierService (src/realtime/notifier.service.ts:5) is injected with RealtimeService, but a DI container builds it');
    expect(notes[2]!.what).toContain('list src/realtime/notifier.service under legacy[] and describe its used members (notify 1×) in a classes[] entry');
    expect(r.todo.filter((t) => t.field.startsWith('adapters[')).length).toBe(0);
    // the legacy provider's own members are drafted as usual
    expect(r.manifest.classes.map((c) => c.class)).toEqual(['RealtimeService']);
    expect(parseManifest(r.text, 'ssot.config.json')).toEqual(r.manifest);
  });
});
