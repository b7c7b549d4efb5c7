/**
 * Templates per member of a field (`classes[].members["peers.set"]`) checked: by the loader (key
 * form, placeholders, one decision per field) and against the repo (the field is a member of the
 * class, each link of the chain a member of the value before it, with did-you-mean).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RepoSnapshot } from '../../codemods/index.js';
import { ManifestError, parseManifest } from '../../manifest/index.js';
import { goodManifest, makeCheckRepo, type Json } from './fixture.js';

const REGISTRY = "export interface Peer { send(data: string): void }\nexport class Registry {\n  readonly peers = new Map<string, Peer>();\n  count(): number { return this.peers.size; }\n}\n";

function manifestWith(members: Record<string, string>, extra: (m: Json & { legacy: Json[]; classes: Json[] }) => void = () => {}): Json {
  const m = goodManifest() as Json & { legacy: Json[]; classes: Json[] };
  m.legacy.push({ id: 'WSM006', module: 'src/ws/registry', symbols: {} });
  m.classes.push({ module: 'src/ws/registry', class: 'Registry', members });
  extra(m);
  return m;
}

let repo = '';
beforeAll(() => {
  repo = makeCheckRepo(goodManifest(), { 'src/ws/registry.ts': REGISTRY });
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

async function problems(m: Json): Promise<string[]> {
  const snapshot = await RepoSnapshot.open(repo, { manifestText: JSON.stringify(m) });
  try {
    snapshot.checkManifest();
    return [];
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    return err.issues.map((i) => `${i.path}: ${i.message}`);
  }
}

const refused = (m: Json) => () => parseManifest(JSON.stringify(m), 'ssot.config.json');

describe('classes[].members: templates per member of a field', () => {
  test('accepted against the repo: members of the field, a chain through what a call returns, a read link, beside the field as a whole', async () => {
    expect(
      await problems(
        manifestWith({
          count: '$hub.listConnectedUsers().length',
          'peers.set': '$hub.connect($1, $2, { connectionId: $1 })',
          'peers.get.send': '$hub.sendToUser($1, JSON.parse($2))',
          'peers.size': '$hub.listConnectedUsers().length',
        }),
      ),
    ).toEqual([]);
  }, 60_000);

  test('refused against the repo: a field the class does not declare, a member its value lacks (after a call too), each named with did-you-mean', async () => {
    expect(
      await problems(
        manifestWith({
          'peer.set': '$hub.connect($1, $2)',
          'peers.sett': '$hub.connect($1, $2)',
          'peers.get.sned': '$hub.sendToUser($1, JSON.parse($2))',
        }),
      ),
    ).toEqual([
      'classes[1].members["peer.set"]: "peer" is not a member of Registry (did you mean "peers"?)',
      'classes[1].members["peers.sett"]: "sett" is not a member of Registry.peers (Map<string, Peer>) (did you mean "set"?)',
      'classes[1].members["peers.get.sned"]: "sned" is not a member of Registry.peers.get() (Peer | undefined) (did you mean "send"?)',
    ]);
  }, 60_000);

  test('refused by the loader: a key that is no chain of identifiers, a receiver placeholder, a field also served by legacy code or kept by a split', () => {
    expect(refused(manifestWith({ 'peers..set': '$hub.connect($1, $2)' }))).toThrow(/classes\[1\]\.members\["peers\.\.set"\]: invalid key: expected a member name, or "field\.member"/);
    expect(refused(manifestWith({ 'peers.set': '$legacy.peers.set($1, $2)' }))).toThrow(/classes\[1\]\.members\["peers\.set"\]: a chain template \(on peers: a member of a field, or of what a lookup returns\) is written at each use by remove-adapters: \$legacy is not available there/);
    expect(refused(manifestWith({ 'peers.set': '$hub.connect($1, $2)' }, (m) => (m.classes[1]!['legacyMembers'] = ['peers'])))).toThrow(/classes\[1\]\.members\["peers\.set"\]: "peers" is listed at classes\[1\]\.legacyMembers/);
    expect(refused(manifestWith({ 'peers.set': '$hub.connect($1, $2)' }, (m) => (m['splits'] = [{ module: 'src/ws/registry', class: 'Registry', to: 'src/app/registry', keep: ['peers'] }])))).toThrow(/splits\[0\]\.keep\[0\]: "peers" is kept here and its members are templated at classes\[1\]\.members\["peers\.set"\]; a field either stays app code or is rewritten: choose one/);
  });
});
