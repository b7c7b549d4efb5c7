/**
 * The after-edit parse check (engine/output-parse.ts) on the whole phase over a small repo on disk:
 * whatever a template expands to, a rewrite that does not parse is never written. The trigger is a
 * member template led by a line comment (`// note\n$hub.…`), which expandTemplate writes on the call's
 * line, where it swallows the rest of the statement. (Without the check, the type guard withdrew these
 * two files as "it would add a type error": no refusal said why.) The loader refuses such a template
 * since (manifest/expression.ts), so it is set on the loaded manifest here: the check stays the last
 * guard for whatever expansion the loader cannot foresee.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { writeFiles } from '../../test/helpers/git-repo.js';
import { parseErrorOf } from '../engine/parse.js';
import { parsableChanges } from '../engine/output-parse.js';
import { RepoSnapshot } from '../snapshot/snapshot.js';
import { planRemoveAdapters } from './index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const manifest = (send: string) =>
  JSON.stringify({
    canonical: { module: 'src/canonical', exports: ['hubOperations'] },
    legacy: [{ id: 'NTF001', module: 'src/legacy/notifier', symbols: {} }],
    classes: [{ module: 'src/legacy/notifier', class: 'Notifier', members: { send, ping: '$hub.sendToUser($1, { type: "ping" })' } }],
    adapters: [],
    duplicateTypes: [],
    verify: { typecheck: 'true', test: 'true' },
  });

const FILES: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, allowJs: true, checkJs: false, target: 'es2022', module: 'es2022', moduleResolution: 'bundler', baseUrl: '.', noEmit: true }, include: ['src'] }),
  'src/canonical.ts': 'export interface HubOperations { sendToUser(userId: string, message: Record<string, unknown>): number }\nexport declare function hubOperations(): HubOperations;\n',
  'src/legacy/notifier.ts': 'export class Notifier {\n  send(userId: string, message: Record<string, unknown>): number { return userId.length + Object.keys(message).length; }\n  ping(userId: string): number { return userId.length; }\n}\n',
  'src/app/send.ts': "import { Notifier } from '../legacy/notifier.js';\n\nexport function tell(n: Notifier, userId: string): number {\n  const sent = n.send(userId, { type: 'hi' });\n  return sent + 1;\n}\n",
  'src/app/send.js': "/** @param {import('../legacy/notifier.js').Notifier} n */\nexport function tell(n, userId) {\n  const sent = n.send(userId, { type: 'hi' });\n  return sent + 1;\n}\n",
  'src/app/ping.ts': "import { Notifier } from '../legacy/notifier.js';\n\nexport function ping(n: Notifier, userId: string): number {\n  return n.ping(userId);\n}\n",
};

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ssot-output-parse-'));
  dirs.push(dir);
  writeFiles(dir, files);
  return dir;
}

describe('remove-adapters never writes a rewrite that does not parse', () => {
  test('a template that expands to text swallowing the rest of its line: those files are refused by file:line, left byte-identical; the others are written', async () => {
    const snapshot = await RepoSnapshot.open(repo({ ...FILES, 'ssot.config.json': manifest('$hub.sendToUser($1, $2)') }));
    snapshot.manifest.classes[0]!.members['send'] = '// the hub sends it\n$hub.sendToUser($1, $2)';
    const plan = await planRemoveAdapters(snapshot);
    const written = new Map(plan.writes.map((w) => [w.path, String(w.content)]));
    for (const [file, text] of written) expect(parseErrorOf(file, text), file).toBeUndefined();
    expect(written.has('src/app/send.ts')).toBe(false);
    expect(written.has('src/app/send.js')).toBe(false);
    expect(written.get('src/app/ping.ts')).toContain("return hubOperations().sendToUser(userId, { type: 'ping' });");
    const refused = plan.problems.filter((p) => /rewrite output does not parse/.test(p.message));
    expect(refused.map((p) => `${p.file}:${p.line}`).sort()).toEqual(['src/app/send.js:5', 'src/app/send.ts:6']);
    expect(refused.find((p) => p.file === 'src/app/send.js')?.message).toMatch(/^rewrite output does not parse \(src\/app\/send\.js:5:\d+: .+\); file left unchanged$/);
  }, 60_000);

  test('parsableChanges keeps what parses and a file that did not parse before either (not the phase`s to fix)', () => {
    const r = parsableChanges([
      { file: 'a.ts', before: 'f();\n', after: 'g();\n' },
      { file: 'b.ts', before: 'f();\n', after: 'f(;\n' },
      { file: 'c.ts', before: 'f(;\n', after: 'g(;\n' },
    ]);
    expect(r.kept.map((c) => c.file)).toEqual(['a.ts', 'c.ts']);
    expect(r.refused).toEqual([{ file: 'b.ts', line: 1, message: "rewrite output does not parse (b.ts:1:3: ')' expected.); file left unchanged" }]);
  });
});
