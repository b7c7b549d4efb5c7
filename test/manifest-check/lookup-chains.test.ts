/**
 * Chain templates on what a lookup returns (`functions[].templates["getConnection.send"]`,
 * `classes[].members["getSocket.send"]`, `classes[].statics["socketOf.send"]`) checked: by the
 * loader (key form) and against the repo (the lookup is declared, each link a member of what the
 * value before it is — the lookup's call first — with did-you-mean).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RepoSnapshot } from '../../codemods/index.js';
import { ManifestError, parseManifest } from '../../manifest/index.js';
import { goodManifest, makeCheckRepo, type Json } from './fixture.js';

const CONNECTIONS = "export interface Sock { send(data: string): void; close(): void }\nconst sockets = new Map<string, Sock>();\nexport function getConnection(userId: string): Sock | undefined { return sockets.get(userId); }\nexport const MAX = 3;\n";
const LOOKUPS = "import type { Sock } from './connections';\nexport class Lookups {\n  getSocket(id: string): Sock | undefined { void id; return undefined; }\n  static socketOf(id: string): Sock | undefined { void id; return undefined; }\n}\n";

function manifestWith(templates: Record<string, string>, members: Record<string, string> = {}, statics: Record<string, string> = {}): Json {
  const m = goodManifest() as Json & { legacy: Json[]; classes: Json[] };
  m.legacy.push({ id: 'WSM006', module: 'src/ws/connections', symbols: {} }, { id: 'WSM007', module: 'src/ws/lookups', symbols: {} });
  m['functions'] = [{ module: 'src/ws/connections', templates }];
  m.classes.push({ module: 'src/ws/lookups', class: 'Lookups', members, statics });
  return m;
}

let repo = '';
beforeAll(() => {
  repo = makeCheckRepo(goodManifest(), { 'src/ws/connections.ts': CONNECTIONS, 'src/ws/lookups.ts': LOOKUPS });
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

const send = '$hub.sendToUser($1, JSON.parse($2))';

describe('chain templates on what a lookup returns', () => {
  test('accepted against the repo: a free function`s, a method`s and a static`s chain, beside or without a plain template', async () => {
    expect(await problems(manifestWith({ getConnection: '$hub.hub.getConnection($1)?.socket', 'getConnection.send': send, 'getConnection.close': '$hub.disconnect($1)' }, { 'getSocket.send': send }, { 'socketOf.send': send, socketOf: '$hub.hub.getConnection($1)?.socket' }))).toEqual([]);
  }, 60_000);

  test('refused against the repo: each link typed from what the lookup returns, with did-you-mean; a lookup not declared', async () => {
    expect(await problems(manifestWith({ 'getConnection.sned': send, 'getConection.send': send, 'MAX.send': send }, { 'getSocket.clse': '$hub.disconnect($1)' }, { 'socketOf.sen': send, 'sockOf.send': send }))).toEqual([
      'classes[1].members["getSocket.clse"]: "clse" is not a member of Lookups.getSocket() (Sock | undefined) (did you mean "close"?)',
      'classes[1].statics["sockOf.send"]: "sockOf" is not a static of Lookups (did you mean "socketOf"?)',
      'classes[1].statics["socketOf.sen"]: "sen" is not a member of Lookups.socketOf() (Sock | undefined) (did you mean "send"?)',
      'functions[0].templates["getConection.send"]: "getConection" is not exported by src/ws/connections (did you mean "getConnection"?)',
      'functions[0].templates["MAX.send"]: "MAX" exported by src/ws/connections is not a function (a template here is expanded at each call)',
      'functions[0].templates["getConnection.sned"]: "sned" is not a member of getConnection() (Sock | undefined) (did you mean "send"?)',
    ]);
  }, 60_000);

  test('refused by the loader: a key that is no chain of identifiers, in functions[].templates and statics', () => {
    const refused = (m: Json) => () => parseManifest(JSON.stringify(m), 'ssot.config.json');
    expect(refused(manifestWith({ 'getConnection..send': send }))).toThrow(/functions\[0\]\.templates\["getConnection\.\.send"\]: invalid key: expected an exported function name, or "name\.member"/);
    expect(refused(manifestWith({}, {}, { 'socketOf.$1': send }))).toThrow(/classes\[1\]\.statics\["socketOf\.\$1"\]/);
  });
});
