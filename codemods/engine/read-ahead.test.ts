import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ReadAhead, READ_AHEAD_MIN_FILES, type SourceRead } from './read-ahead.js';

describe('ReadAhead', () => {
  let dir = '';
  const files: string[] = [];
  const N = READ_AHEAD_MIN_FILES * 3 + 17;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ssot-read-ahead-'));
    for (let i = 0; i < N; i++) {
      const f = `d${i % 13}/f${i}.ts`;
      mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
      files.push(f);
      if (i === 5) continue; // listed, not on disk
      if (i === N - 3)
        writeFileSync(path.join(dir, f), Buffer.from([0x61, 0xff, 0x62])); // invalid UTF-8
      else if (i === N - 2)
        writeFileSync(path.join(dir, f), 'const s = "\uFFFD";\n'); // a real U+FFFD
      else writeFileSync(path.join(dir, f), `export const v${i} = ${i};\n`);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const readAll = (r: ReadAhead, startAfter = 0): SourceRead[] => {
    const got: SourceRead[] = [];
    for (let x = r.next(); x !== undefined; x = r.next()) {
      got.push(x);
      if (got.length === startAfter) r.start();
    }
    r.close();
    return got;
  };

  const check = (got: SourceRead[]): void => {
    // each file exactly once, in chunks out of list order at most
    expect(got.map((g) => g.file).sort()).toEqual([...files].sort());
    const by = new Map(got.map((g) => [g.file, g.read]));
    expect(by.get(files[5]!)).toEqual({ missing: true });
    expect(by.get(files[N - 3]!)).toEqual({ skipped: 'not valid UTF-8 (left byte-identical)' });
    expect(by.get(files[N - 2]!)).toEqual({ text: 'const s = "\uFFFD";\n' });
    for (const i of [0, 1, 64, 1000, N - 1]) expect(by.get(files[i]!)).toEqual({ text: `export const v${i} = ${i};\n` });
  };

  test('with the thread started after the first files: every file once, with its text or why it has none', async () => {
    const r = new ReadAhead(dir, files);
    const got: SourceRead[] = [];
    for (let i = 0; i < 100; i++) got.push(r.next()!);
    r.start();
    // let the thread post (the main thread reads every chunk itself whenever none is waiting)
    for (let t = 0; t < 500 && r.posted === 0; t++) await new Promise((done) => setTimeout(done, 20));
    for (let x = r.next(); x !== undefined; x = r.next()) got.push(x);
    r.close();
    check(got);
    expect(r.threadChunks).toBeGreaterThan(0);
  });

  test('started late, with fewer than READ_AHEAD_MIN_FILES left, it starts no thread', () => {
    const r = new ReadAhead(dir, files);
    check(readAll(r, N - READ_AHEAD_MIN_FILES + 100));
    expect(r.threadChunks).toBe(0);
  });

  test('never started, the main thread reads every chunk, in list order', () => {
    const got = readAll(new ReadAhead(dir, files));
    check(got);
    expect(got.map((g) => g.file)).toEqual(files);
  });

  test('with prefilter tokens, a text containing none comes as { filtered: true }, on the thread and on the main thread alike', async () => {
    // "v1" is in v1, v10-v19, v100-…: about a tenth of the files pass
    const tokens = ['v1', 'const s'];
    const r = new ReadAhead(dir, files, tokens);
    const got: SourceRead[] = [];
    for (let i = 0; i < 100; i++) got.push(r.next()!);
    r.start();
    for (let t = 0; t < 500 && r.posted === 0; t++) await new Promise((done) => setTimeout(done, 20));
    for (let x = r.next(); x !== undefined; x = r.next()) got.push(x);
    r.close();
    expect(r.threadChunks).toBeGreaterThan(0);
    expect(got.map((g) => g.file).sort()).toEqual([...files].sort());
    const by = new Map(got.map((g) => [g.file, g.read]));
    // missing and unreadable files keep their reason; a real U+FFFD text passes on "const s"
    expect(by.get(files[5]!)).toEqual({ missing: true });
    expect(by.get(files[N - 3]!)).toEqual({ skipped: 'not valid UTF-8 (left byte-identical)' });
    expect(by.get(files[N - 2]!)).toEqual({ text: 'const s = "\uFFFD";\n' });
    let passed = 0;
    for (let i = 0; i < N - 3; i++) {
      if (i === 5) continue;
      const text = `export const v${i} = ${i};\n`;
      const pass = text.includes('v1');
      expect(by.get(files[i]!)).toEqual(pass ? { text } : { filtered: true });
      if (pass) passed++;
    }
    expect(passed).toBeGreaterThan(100);
  });

  test('an empty list ends at once; a short one starts no thread', () => {
    expect(readAll(new ReadAhead(dir, []), 0)).toEqual([]);
    const few = files.slice(0, 10);
    const got = readAll(new ReadAhead(dir, few), 1);
    expect(got.map((g) => g.file)).toEqual(few);
  });
});
