/**
 * scripts/gen-monorepo: same seed -> byte-identical tree; the output typechecks with the
 * toolkit's tsc (after link-toolkit.sh), uses every import form, and honours N.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteDeclaration } from '../../codemods/engine/delete-declaration.js';
import { parseManifest } from '../../manifest/index.js';
import { CJS_FORMS, IMPORT_FORMS, genMonorepo, main, type GenMonorepoSummary } from '../../scripts/gen-monorepo.js';

const run = promisify(execFile);
const TOOLKIT = fileURLToPath(new URL('../../', import.meta.url));

async function listFiles(dir: string, root = dir): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((e) => e.name !== 'node_modules')
      .map((e) => (e.isDirectory() ? listFiles(join(dir, e.name), root) : Promise.resolve([relative(root, join(dir, e.name))]))),
  );
  return nested.flat().sort();
}

let scratch: string;
let first: GenMonorepoSummary;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'gen-monorepo-'));
  first = await genMonorepo({ dir: join(scratch, 'a'), files: 200, affected: 0.05, seed: 42 });
  await genMonorepo({ dir: join(scratch, 'b'), files: 200, affected: 0.05, seed: 42 });
  await genMonorepo({ dir: join(scratch, 'c'), files: 200, affected: 0.05, seed: 43 });
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('genMonorepo', () => {
  it('is byte-identical for the same seed and differs for another', async () => {
    const a = await listFiles(join(scratch, 'a'));
    const b = await listFiles(join(scratch, 'b'));
    expect(b).toEqual(a);
    for (const file of a) {
      expect((await readFile(join(scratch, 'b', file))).equals(await readFile(join(scratch, 'a', file))), file).toBe(true);
    }
    const c = await listFiles(join(scratch, 'c'));
    const differs = await Promise.all(
      a.filter((f) => c.includes(f) && /\.c?ts$/.test(f)).map(async (f) => !(await readFile(join(scratch, 'c', f))).equals(await readFile(join(scratch, 'a', f)))),
    );
    expect(a.join() !== c.join() || differs.some(Boolean)).toBe(true);
  });

  it('writes exactly N source files, the affected fraction, and every import form', async () => {
    const sources = (await listFiles(join(scratch, 'a'))).filter((f) => /\.c?ts$/.test(f));
    expect(sources).toHaveLength(200);
    expect(first.affectedFiles).toHaveLength(10);
    for (const form of [...IMPORT_FORMS, ...CJS_FORMS, 'unparsable file']) expect(first.forms[form], form).toBeGreaterThan(0);
    expect(first.crlfFiles.length).toBeGreaterThan(0);
    expect(first.bomFiles.length).toBeGreaterThan(0);
    const crlf = await readFile(join(scratch, 'a', first.crlfFiles[0]!), 'utf8');
    expect(crlf.includes('\r\n') && !/[^\r]\n/.test(crlf)).toBe(true);
    expect((await readFile(join(scratch, 'a', first.bomFiles[0]!))).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    // Unaffected files never mention the legacy layer.
    const plain = sources.filter((f) => f.startsWith('packages/') && !first.affectedFiles.includes(f) && f !== first.brokenFile);
    for (const f of plain.slice(0, 50)) expect(await readFile(join(scratch, 'a', f), 'utf8')).not.toMatch(/websocket_core|agent_registry/);
  });

  it('ships a valid manifest for its legacy layer', async () => {
    const manifest = parseManifest(await readFile(join(scratch, 'a', 'ssot.config.json'), 'utf8'));
    expect(manifest.canonical.module).toBe('ssot-migrate/canonical');
    expect(manifest.verify).toEqual({ typecheck: 'npm run typecheck', test: 'npm test' });
    // The broken file is a deletion of the generated repo's own (not legacy-app's), so remove-shim can finish.
    expect(manifest.deletions[0]).toEqual({ path: first.brokenFile, reason: expect.stringContaining('never compiled') });
    // The person decisions no phase guesses, one declaration each: every dangling-reference const and
    // every function require()ing the legacy factory getter, in the file that declares it.
    const decided = manifest.deletions.slice(1);
    const expected: string[] = [];
    for (const f of first.affectedFiles) {
      const text = await readFile(join(scratch, 'a', f), 'utf8');
      for (const m of text.matchAll(/export (?:const|function) (danglingReferences\d+|factoryLater\d+)\b/g)) expected.push(`${f}#${m[1]}`);
    }
    expect(expected.length).toBeGreaterThanOrEqual(2);
    expect(decided.map((d) => `${d.path}#${d.declaration}`).sort()).toEqual(expected.sort());
    // The members the generated consumers call on the manager have templates (rewritten by remove-adapters).
    const members = manifest.classes.flatMap((c) => Object.keys(c.members));
    expect(members).toEqual(expect.arrayContaining(['getConnectionCount', 'getStats', 'getConnection', 'getUserConnections', 'isConnectionActive', 'mode']));
  });

  it('typechecks with the toolkit tsc and passes its smoke test', async () => {
    const dir = join(scratch, 'a');
    await run(join(dir, 'link-toolkit.sh'), [TOOLKIT], { timeout: 30_000 });
    const tsc = await run(join(TOOLKIT, 'node_modules/.bin/tsc'), ['-p', join(dir, 'tsconfig.json'), '--noEmit'], { timeout: 180_000 }).then(
      () => ({ code: 0, out: '' }),
      (e: { code?: number; stdout?: string }) => ({ code: e.code ?? -1, out: e.stdout ?? '' }),
    );
    expect(tsc, tsc.out).toEqual({ code: 0, out: '' });
    const smoke = await run(join(TOOLKIT, 'node_modules/.bin/tsx'), ['test/smoke.ts'], { cwd: dir, timeout: 60_000 });
    expect(smoke.stdout).toContain('smoke: ok');
  }, 240_000);

  it('the manifest deletions leave no legacy name that remove-shim would keep, and the second protocol is a classes[] entry (no hand fix)', async () => {
    const dir = join(scratch, 'c');
    const manifest = parseManifest(await readFile(join(dir, 'ssot.config.json'), 'utf8'));
    const affected = (await listFiles(dir)).filter((f) => f.startsWith('packages/') && /\.c?ts$/.test(f) && f !== 'packages/legacy_scripts/broken_merge.ts');
    // the second protocol's files: remove-adapters rewrites their member call by this entry, and the parameter and import go dead
    const entry = manifest.classes.find((c) => c.module === 'src/core/interfaces_websocket' && c.class === 'WebSocketManagerProtocol');
    expect(entry?.members).toEqual({ getConnectionCount: '$hub.connectionCount()' });
    const secondProtocol: string[] = [];
    // what remove-shim does with the manifest's declarations (engine/delete-declaration.ts, as remove-shim calls it)
    for (const f of affected) {
      let text = await readFile(join(dir, f), 'utf8');
      for (const d of manifest.deletions.filter((x) => x.path === f && x.declaration !== undefined)) {
        const r = deleteDeclaration(f, text, d.declaration!);
        expect(r, `${f}#${d.declaration}`).toHaveProperty('after');
        if ('after' in r) text = r.after;
      }
      if (text.includes('interfaces_websocket')) {
        secondProtocol.push(f);
        // the only member it calls is one the entry maps
        expect([...text.matchAll(/\(manager: InterfaceProtocol\)[^{]*\{\s*return manager\.(\w+)\(/g)].map((m) => m[1]), f).toEqual(['getConnectionCount']);
      }
      expect(text, f).not.toMatch(/createWebSocketManagerSync|getWebSocketManagerFactory|websocket_manager_factory'\)/);
    }
    expect(secondProtocol.length).toBeGreaterThan(0);
  });

  it('refuses bad sizes', async () => {
    await expect(genMonorepo({ dir: join(scratch, 'x'), files: 5 })).rejects.toThrow(/files must be an integer >= 31/);
    await expect(genMonorepo({ dir: join(scratch, 'x'), files: 100, affected: 1.5 })).rejects.toThrow(/affected must be a fraction/);
  });

  it('CLI: refuses unknown or missing arguments with exit code 2', async () => {
    expect(await main(['--files', '100'])).toBe(2);
    expect(await main(['--out', join(scratch, 'y'), '--bogus'])).toBe(2);
    expect(await main(['--out', join(scratch, 'y'), '--files', 'many'])).toBe(2);
  });
});
