import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';

// ts-api.js is plain JS: each case loads it under plain node in a process of its own, as a command does.
const TS_API = fileURLToPath(new URL('./ts-api.js', import.meta.url));
const TS_LOAD = fileURLToPath(new URL('../../manifest/ts-load.js', import.meta.url));
const HEADER = 8 + 4 + 32 + 4; // magic, refreshes, SHA-256, the writer's CPU ms (ts-api.js)
const CPU_AT = 8 + 4 + 32;

/** Loads ts-api.js with the cache in `dir`, parses a file with it, optionally parses on for `holdMs` more of CPU; its codeCache and the parse's statement count. */
function load(dir: string, env: NodeJS.ProcessEnv = {}, holdMs = 0): { state: string; file?: string; statements: number } {
  const script = `
    const m = await import(${JSON.stringify(TS_API)});
    const ts = m.default;
    const sf = ts.createSourceFile('a.ts', 'import { a } from "b";\\nexport class C<T> { m(x: T): T { return x; } }\\n', ts.ScriptTarget.Latest, true);
    ${holdMs > 0 ? `for (const t = process.cpuUsage(), c = () => { const u = process.cpuUsage(t); return (u.user + u.system) / 1000; }; c() < ${holdMs};) ts.createSourceFile('b.ts', 'enum E { A } namespace N { export const x = [1, 2].map((y) => y * 2); }', ts.ScriptTarget.Latest, true);` : ''}
    console.log(JSON.stringify({ ...m.codeCache, statements: sf.statements.length }));`;
  const { NODE_DISABLE_COMPILE_CACHE: _, NODE_OPTIONS: __, ...rest } = process.env;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...rest, SSOT_MIGRATE_CACHE_DIR: dir, ...env }, encoding: 'utf8' });
  return JSON.parse(out.trim()) as { state: string; file?: string; statements: number };
}

const cacheFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.bin'));

describe('typescript.js through a V8 code cache (ts-api.js)', () => {
  const dirs: string[] = [];
  const scratch = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'ssot-ts-cache-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  /** A scratch cache folder after one run wrote its cache: the folder and the cache file. */
  const primed = (): { dir: string; file: string } => {
    const dir = scratch();
    load(dir);
    return { dir, file: join(dir, cacheFiles(dir)[0]!) };
  };

  it('writes the cache at the first run and loads from it at the next, one file per key', () => {
    const dir = scratch();
    expect(load(dir)).toMatchObject({ state: 'miss', statements: 2 });
    expect(cacheFiles(dir)).toHaveLength(1);
    expect(cacheFiles(dir)[0]).toMatch(new RegExp(`^typescript-5\\.[\\d.]+-\\d+-\\d+-\\d+-node-${process.version.replace(/\./g, '\\.')}-v8-.+-${process.arch}-[0-9a-f]{12}\\.bin$`));
    const hit = load(dir);
    expect(hit).toMatchObject({ state: 'hit', statements: 2 });
    expect(hit.file).toBe(join(dir, cacheFiles(dir)[0]!));
    // other V8 flags: a cache of their own, the first one left as it is
    expect(load(dir, { NODE_OPTIONS: '--max-old-space-size=1000' })).toMatchObject({ state: 'miss', statements: 2 });
    expect(cacheFiles(dir)).toHaveLength(2);
    expect(load(dir)).toMatchObject({ state: 'hit' });
  });

  it("manifest/'s loader first (a template parsed before any codemod loads), then ts-api.js: one copy of typescript.js, from the cache", () => {
    const { dir } = primed();
    const script = `
      const loader = await import(${JSON.stringify(TS_LOAD)});
      const first = loader.typescript();
      const m = await import(${JSON.stringify(TS_API)});
      const { createRequire } = await import('node:module');
      const plain = createRequire(${JSON.stringify(TS_LOAD)})('typescript');
      console.log(JSON.stringify({ ...m.codeCache, same: first === m.default && plain === first }));`;
    const { NODE_DISABLE_COMPILE_CACHE: _, NODE_OPTIONS: __, ...rest } = process.env;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...rest, SSOT_MIGRATE_CACHE_DIR: dir }, encoding: 'utf8' }).trim()) as { state: string; same: boolean };
    expect(out).toMatchObject({ state: 'hit', same: true });
  });

  it('a damaged cache is never handed to V8 (which would crash on it): ignored, the API works, and it is rewritten', () => {
    const { dir, file } = primed();
    const good = readFileSync(file);
    const bad = Buffer.from(good);
    for (let i = 1; i <= 50; i++) bad[HEADER + Math.floor((i * (bad.length - HEADER)) / 51)]! ^= 0x5a;
    writeFileSync(file, bad);
    expect(load(dir)).toMatchObject({ state: 'invalid', statements: 2 });
    expect(load(dir)).toMatchObject({ state: 'hit' });
    // cut short, and not a cache at all
    writeFileSync(file, good.subarray(0, good.length >> 1));
    expect(load(dir)).toMatchObject({ state: 'invalid', statements: 2 });
    writeFileSync(file, 'not a cache');
    expect(load(dir)).toMatchObject({ state: 'invalid', statements: 2 });
    expect(load(dir)).toMatchObject({ state: 'hit' });
  });

  it('a sound file V8 rejects (another script’s code) falls back to compiling, and is rewritten', () => {
    const { dir, file } = primed();
    const header = readFileSync(file).subarray(0, HEADER);
    const other = new Script('function f() { return 1; } f();').createCachedData();
    createHash('sha256').update(other).digest().copy(header, 12);
    writeFileSync(file, Buffer.concat([header, other]));
    expect(load(dir)).toMatchObject({ state: 'rejected', statements: 2 });
    expect(load(dir)).toMatchObject({ state: 'hit' });
  });

  it('a run that took twice the CPU of the one that wrote the cache refreshes it (so a repeated run does not), a bounded number of times', () => {
    const { dir, file } = primed();
    const first = readFileSync(file);
    expect(first.readUInt32LE(8)).toBe(0);
    expect(first.readUInt32LE(CPU_AT)).toBeGreaterThan(0);
    // a writer's CPU recorded lower (a first run that did next to nothing): a run of over a second is more than twice it
    const low = (refreshes: number): void => {
      const b = readFileSync(file);
      b.writeUInt32LE(refreshes, 8);
      b.writeUInt32LE(1, CPU_AT);
      writeFileSync(file, b);
    };
    low(0);
    load(dir, {}, 1100); // over a second of CPU, parsing enums and namespaces the first run never compiled
    const second = readFileSync(file);
    expect(second.readUInt32LE(8)).toBe(1);
    expect(second.length).toBeGreaterThan(first.length);
    const secondCpu = second.readUInt32LE(CPU_AT);
    expect(secondCpu).toBeGreaterThanOrEqual(1000);
    // the same run again: not twice the writer's CPU, the file is left as it is (no serializing at exit)
    load(dir, {}, 1100);
    expect(readFileSync(file).equals(second)).toBe(true);
    // with the writer's CPU recorded lower each time, it refreshes up to 3 times in all
    for (let i = 2; i <= 4; i++) {
      low(i - 1);
      load(dir, {}, 1000);
    }
    expect(readFileSync(file).readUInt32LE(8)).toBe(3);
    low(3);
    const capped = readFileSync(file);
    load(dir, {}, 1000);
    expect(readFileSync(file).equals(capped)).toBe(true);
  });

  it('a folder keeps the 8 newest cache files: older ones (other versions, flags) go when one is written', () => {
    const dir = scratch();
    for (let i = 0; i < 10; i++) {
      const f = join(dir, `typescript-0.0.${i}-old.bin`);
      writeFileSync(f, 'x');
      utimesSync(f, 1000 + i, 1000 + i);
    }
    writeFileSync(join(dir, 'notes.txt'), 'not a cache: left alone');
    expect(load(dir)).toMatchObject({ state: 'miss' });
    const left = cacheFiles(dir).sort();
    expect(left).toHaveLength(8);
    expect(left.filter((f) => !f.includes('-old.'))).toHaveLength(1);
    expect(left.filter((f) => f.includes('-old.'))).toEqual([3, 4, 5, 6, 7, 8, 9].map((i) => `typescript-0.0.${i}-old.bin`));
    expect(readdirSync(dir)).toContain('notes.txt');
    expect(load(dir)).toMatchObject({ state: 'hit' });
  });

  it('another typescript.js never runs from the cache of the first: not a new version, not even the same length with its mtime put back', () => {
    // ts-load.js beside a typescript package of its own (real files, a process per load); V8 itself
    // checks only the source's length against a cache, so a stale one would run the old code
    const root = scratch();
    const cache = join(root, 'cache');
    const tsDir = join(root, 'node_modules', 'typescript');
    mkdirSync(join(tsDir, 'lib'), { recursive: true });
    writeFileSync(join(root, 'package.json'), '{ "type": "module" }');
    copyFileSync(TS_LOAD, join(root, 'ts-load.js'));
    writeFileSync(join(tsDir, 'package.json'), JSON.stringify({ name: 'typescript', version: '5.9.3', main: 'lib/typescript.js' }));
    const lib = join(tsDir, 'lib', 'typescript.js');
    const loadFake = (): { state: string; v: string } => {
      const script = `const m = await import(${JSON.stringify(join(root, 'ts-load.js'))}); const ts = m.typescript(); console.log(JSON.stringify({ state: m.codeCache.state, v: ts.v() }));`;
      const { NODE_DISABLE_COMPILE_CACHE: _, NODE_OPTIONS: __, ...rest } = process.env;
      return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...rest, SSOT_MIGRATE_CACHE_DIR: cache }, encoding: 'utf8' }).trim()) as { state: string; v: string };
    };
    writeFileSync(lib, "module.exports = { v() { return 'first'; } };\n");
    expect(loadFake()).toEqual({ state: 'miss', v: 'first' });
    expect(loadFake()).toEqual({ state: 'hit', v: 'first' });
    const { atime, mtime } = statSync(lib);
    writeFileSync(lib, "module.exports = { v() { return 'other'; } };\n");
    utimesSync(lib, atime, mtime);
    expect(loadFake()).toEqual({ state: 'miss', v: 'other' });
    expect(loadFake()).toEqual({ state: 'hit', v: 'other' });
    writeFileSync(join(tsDir, 'package.json'), JSON.stringify({ name: 'typescript', version: '5.9.4', main: 'lib/typescript.js' }));
    expect(loadFake()).toEqual({ state: 'miss', v: 'other' });
  });

  it('NODE_DISABLE_COMPILE_CACHE=1: a plain require, nothing written; an unwritable cache folder: no cache, the API works', () => {
    const dir = scratch();
    expect(load(dir, { NODE_DISABLE_COMPILE_CACHE: '1' })).toMatchObject({ state: 'off', statements: 2 });
    expect(cacheFiles(dir)).toEqual([]);
    writeFileSync(join(dir, 'a-file'), '');
    const under = join(dir, 'a-file', 'cache'); // a folder that cannot be made, even as root
    expect(load(under)).toMatchObject({ state: 'miss', statements: 2 });
    expect(load(under)).toMatchObject({ state: 'miss', statements: 2 });
  });
});
