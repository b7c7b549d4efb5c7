/**
 * discover's split proposals (propose-splits.ts) on test/split-backend's NestJS-shaped app, its
 * manifest's `splits` entry taken out: the proposal is what a person wrote there.
 */
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../manifest/load.js';
import { FILES } from '../../test/split-backend/app.js';
import { proposeSplits } from './propose-splits.js';

const LEGACY = 'src/realtime/realtime.service';
const manifestWith = (extra: object) =>
  parseManifest(
    JSON.stringify({
      canonical: { module: 'ssot-migrate/canonical', exports: ['hubOperations'] },
      legacy: [{ id: 'RTS001', module: LEGACY, symbols: {} }],
      classes: [
        {
          module: LEGACY,
          class: 'RealtimeService',
          members: { register: '$hub.connect(String($1), $2)', unregister: '$hub.disconnect(String($1))', push: '$hub.sendToUser(String($2), { ...$1 })', pushAll: '$hub.broadcastAll({ ...$1 })', isConnected: '$hub.isOnline(String($1))', size: '$hub.listConnectedUsers().length' },
        },
      ],
      verify: { typecheck: 'true', test: 'true' },
      ...extra,
    }),
  );

function propose(files: Record<string, string>, extra: object = {}) {
  return proposeSplits({ files: Object.keys(files), read: (f) => files[f], manifest: manifestWith(extra), prefilterTokens: ['realtime.service'] });
}

describe('proposeSplits', () => {
  it('proposes the split a person wrote: every member without a template, not the private socket map only the templated members use', () => {
    const [p, ...rest] = propose(FILES);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ module: LEGACY, class: 'RealtimeService', to: 'src/realtime/realtime-state.service', keep: ['audit', 'connect', 'disconnect', 'record', 'history'] });
    expect(p!.usedBy['connect']).toEqual(['src/realtime/gateway.ts']);
    expect(p!.usedBy['record']).toEqual(['src/http/controller.ts']);
  });

  it('keeps a private member a kept member or the constructor uses, and one nothing that goes uses', () => {
    const files = { ...FILES, [`${LEGACY}.ts`]: FILES[`${LEGACY}.ts`]!.replace('this.store.setStatus(userId, \'ONLINE\');', 'this.store.setStatus(userId, \'ONLINE\'); this.sockets.size;').replace('private audit', 'private spare = 0;\n  private audit') };
    expect(propose(files)[0]!.keep).toEqual(['sockets', 'spare', 'audit', 'connect', 'disconnect', 'record', 'history']);
  });

  it('proposes nothing when no member without a template is used outside the legacy module, or the split is decided', () => {
    const unused = Object.fromEntries(Object.entries(FILES).map(([f, t]) => [f, f.startsWith('src/realtime/realtime') ? t : t.replace(/\.(connect|disconnect|record|history)\(/g, '.other(')]));
    expect(propose(unused)).toEqual([]);
    expect(propose(FILES, { splits: [{ module: LEGACY, class: 'RealtimeService', to: 'src/realtime/presence.service', keep: ['audit', 'connect', 'disconnect', 'record', 'history'] }] })).toEqual([]);
  });

  it('proposes nothing for statics used elsewhere (a factory\'s getInstance is a factory entry, not app state)', () => {
    const files = {
      'src/legacy/factory.ts': 'export class Factory {\n  private static one: Factory | undefined;\n  static getInstance(): Factory { return (Factory.one ??= new Factory()); }\n  send(u: string): void { void u; }\n}\n',
      'src/app/use.ts': "import { Factory } from '../legacy/factory';\nFactory.getInstance().send('u');\n",
    };
    const manifest = parseManifest(JSON.stringify({
      canonical: { module: 'ssot-migrate/canonical', exports: ['hubOperations'] },
      legacy: [{ id: 'FAC001', module: 'src/legacy/factory', symbols: {} }],
      classes: [{ module: 'src/legacy/factory', class: 'Factory', members: { send: '$hub.sendToUser($1, { type: \'x\' })' } }],
      verify: { typecheck: 'true', test: 'true' },
    }));
    expect(proposeSplits({ files: Object.keys(files), read: (f) => files[f as keyof typeof files], manifest, prefilterTokens: ['factory'] })).toEqual([]);
  });

  it('picks a module name no file has', () => {
    expect(propose({ ...FILES, 'src/realtime/realtime-state.service.ts': 'export {};\n' })[0]!.to).toBe('src/realtime/realtime-state2.service');
  });
});

describe('proposeSplits: a class used through its statics (classes[].statics)', () => {
  it('proposes no split for a class whose used statics all have templates (they are served, as templated members are)', async () => {
    const { APP_FILES, appManifest } = await import('../../test/static-backend/app.js');
    const manifest = parseManifest(JSON.stringify(appManifest()));
    const run = (m: typeof manifest) => proposeSplits({ files: Object.keys(APP_FILES), read: (f) => APP_FILES[f], manifest: m, prefilterTokens: ['WebSocketClients'] });
    expect(run(manifest)).toEqual([]);
    // nor without the table: statics are no instance's app state (they want statics templates, which init drafts)
    const without = { ...manifest, classes: manifest.classes.map(({ statics: _s, ...c }) => c) };
    expect(run(without)).toEqual([]);
  });
});
