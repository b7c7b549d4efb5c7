/**
 * An object manager: a legacy layer written as an object literal bound to an exported const, with
 * no class (the shape of Rushil-Shrivastava/order-execution-engine: `export const wsManager = {
 * register(orderId, connection) {…}, notify(orderId, payload) {…}, sendStatus(…) {…} }` over a
 * module `Map` of sockets). A classes[] entry names the const; its member calls become their
 * templates through every import form, and reads of the object as a value follow instances[].
 * Its state is its module's (no instance holds it), so through the whole plan its calls move to
 * the hub in every file or in none: a file keeping one (its rewrite withdrawn by the type guard)
 * takes the others back with it, or the hub and the legacy object would each hold half the
 * registry whenever the legacy side serves the call left — what the first run on that repo did
 * (strangle did not route the object then), caught only by its smoke.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeGitRepo } from '../../test/helpers/git-repo.js';
import { removeAdaptersFixtures } from '../../test/helpers/remove-adapters-fixtures.js';
import { RepoSnapshot } from '../snapshot/snapshot.js';
import { planRemoveAdapters } from './index.js';

describe('remove-adapters object-manager fixtures (classes[] naming a const that holds an object literal)', () => {
  const fx = removeAdaptersFixtures(fileURLToPath(new URL('./__testfixtures__/object-managers', import.meta.url)));

  it('has the nasty cases', () => {
    expect(fx.cases).toEqual(['object-aliased', 'object-calls', 'object-destructured', 'object-destructured-await-import', 'object-destructured-escapes', 'object-destructured-trimmed', 'object-multiline-arg', 'object-unmapped-member', 'object-value']);
  });

  fx.describeCases();

  it('every output typechecks against the stub legacy and canonical modules', () => {
    const project = fx.projectOf(new Map<string, string>([...Object.entries(fx.spec.modules), ...fx.outputs]));
    expect(project.formatDiagnosticsWithColorAndContext(project.getPreEmitDiagnostics())).toBe('');
  });

  it('a marker quoting an argument written over several lines is one line (the rest would be code)', () => {
    const out = fx.outputOf('object-multiline-arg');
    const marker = out.split('\n').find((l) => l.includes('TODO(ssot)'))!;
    expect(marker).toContain("needs `{ type: 'user_status', userId, status, lastSeen: at?.toISOString(), }` evaluated once ahead of it");
    expect(out.split('\n').filter((l) => l.includes('TODO(ssot)'))).toHaveLength(1);
  });

  it('members destructured from the object are followed call by call: renamed ones too; the destructuring and the import go with their last use', () => {
    const out = fx.outputOf('object-destructured');
    expect(out).toContain("hub.sendToUser(orderId, { ...{ orderId, status: 'failed' } });");
    expect(out).not.toContain('wsManager');
    // not `const { … } = hubOperations()`, the instances[] replacement of the object's other reads (no such members there)
    expect(out).not.toMatch(/\} = hubOperations\(\)/);
  });

  it('a member with no template stays destructured, trimmed of the rewritten ones, marked once at the destructuring', () => {
    const out = fx.outputOf('object-destructured-trimmed');
    expect(out).toContain('const { count } = wsManager;');
    expect(out).toContain("import { wsManager } from '../legacy/ws.js';");
    expect(fx.review('object-destructured-trimmed').map((r) => r.message)).toEqual(['members of wsManager destructured here stay on the legacy object: wsManager.count has no template in classes[].members — call them on `wsManager` so their templates apply, or rewrite by hand']);
  });

  it('bindings a call-by-call rewrite cannot follow (passed as a value, reassigned, a default, a rest) stay whole, each reason named; none of their calls is rewritten', () => {
    const out = fx.outputOf('object-destructured-escapes');
    expect(out).toBe(fx.inputs.get(fx.fileOf('object-destructured-escapes'))!.replace('\nlet {', `\n// TODO(ssot)[wsManager]: ${fx.review('object-destructured-escapes')[0]!.message}\nlet {`));
    const [message] = fx.review('object-destructured-escapes').map((r) => r.message);
    for (const why of ['notify is used as a value at line 10 (not called)', 'unregister is reassigned', '`register = …` gives wsManager.register a default', '`...others` takes the rest of wsManager as an object']) expect(message).toContain(why);
  });

  it('the analysis lists, per object manager, each file calling it and whether a use there stays marked', () => {
    expect(fx.first.objectUses).toEqual(
      new Map([
        [
          'src/legacy/ws#wsManager',
          new Map([
            [fx.fileOf('object-aliased'), false],
            [fx.fileOf('object-calls'), false],
            [fx.fileOf('object-destructured'), false],
            [fx.fileOf('object-destructured-await-import'), false],
            [fx.fileOf('object-destructured-escapes'), true],
            [fx.fileOf('object-destructured-trimmed'), true],
            [fx.fileOf('object-multiline-arg'), true],
            [fx.fileOf('object-unmapped-member'), true],
          ]),
        ],
      ]),
    );
  });
});

const repos: string[] = [];
afterAll(() => repos.forEach((r) => rmSync(r, { recursive: true, force: true })));

const canonical = "export interface HubOperations { connect(userId: string, socket: { send(data: string): void }): string; sendToUser(userId: string, message: Record<string, unknown>): number }\nexport declare function hubOperations(): HubOperations;\n";
const legacy = "type Conn = { socket: { send(data: string): void } };\nconst clients = new Map<string, Conn>();\nexport const wsManager = {\n  register(orderId: string, connection: Conn) { clients.set(orderId, connection); },\n  sendStatus(orderId: string, status: string) { clients.get(orderId)?.socket.send(JSON.stringify({ orderId, status })); },\n};\n";
const files = (statusTemplate: string) => ({
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', noEmit: true, types: [], paths: { canon: ['./src/canonical.ts'] } }, include: ['src'] }),
  'src/canonical.ts': canonical,
  'src/ws/wsManager.ts': legacy,
  'src/api/controller.ts': "import { wsManager } from '../ws/wsManager.js';\n\nexport function subscribe(orderId: string, socket: { send(data: string): void }): void {\n  wsManager.register(orderId, { socket });\n}\n",
  'src/workers/worker.ts': "import { wsManager } from '../ws/wsManager.js';\n\nexport function run(orderId: string): void {\n  wsManager.sendStatus(orderId, 'routing');\n}\n",
  'ssot.config.json': JSON.stringify({
    canonical: { module: 'canon', exports: ['hubOperations'] },
    legacy: [{ id: 'LEG001', module: 'src/ws/wsManager', symbols: {} }],
    classes: [{ module: 'src/ws/wsManager', class: 'wsManager', members: { register: '$hub.connect($1, $2.socket)', sendStatus: statusTemplate } }],
    verify: { typecheck: 'npx tsc --noEmit', test: 'true' },
  }),
});

async function plan(statusTemplate: string) {
  const repo = makeGitRepo('ssot-object-manager-', files(statusTemplate));
  repos.push(repo);
  return planRemoveAdapters(await RepoSnapshot.open(repo));
}

describe('remove-adapters: an object manager moves to the hub in every file or in none', () => {
  it('every call rewritten: both files change and no legacy import is left', async () => {
    const p = await plan('$hub.sendToUser($1, { orderId: $1, status: $2 })');
    expect(p.writes.map((w) => w.path).sort()).toEqual(['src/api/controller.ts', 'src/workers/worker.ts']);
    for (const w of p.writes) expect(String(w.content)).not.toContain('wsManager');
    expect(p.needsReview).toEqual([]);
  }, 120_000);

  it('the worker rewrite withdrawn by the type guard takes the controller back with it (registered on the hub, sent to from the legacy Map: nothing would arrive)', async () => {
    const p = await plan('$hub.sendToUser($1, { orderId: $1, status: nowhere($2) })');
    expect(p.writes).toEqual([]);
    // the commit subject says what happened (it said "no adapter or legacy factory call left to rewrite")
    expect(p.summary).toBe('nothing rewritten: the rewrites planned in 2 file(s) were all withdrawn (needs review says why); their legacy uses stay');
    expect(p.needsReview.map((r) => `${r.file}: ${r.message}`)).toEqual([
      expect.stringMatching(/^src\/workers\/worker\.ts: rewrite withdrawn, it would add a type error: .*nowhere/),
      expect.stringMatching(/^src\/api\/controller\.ts: rewrite withdrawn with src\/workers\/worker\.ts: wsManager \(ssot\.config\.json classes\[0\]\) is an object literal over its module's state/),
    ]);
  }, 120_000);
});
