import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDefaults } from '../../test/helpers/fixture-manifest.js';
import { changesOf, writesOf } from '../phase/syntax.js';
import { contextFrom } from './context.js';
import { runSyntaxPhase } from './run.js';
import { isSpilled, SpillFile } from './spill.js';

describe('SpillFile', () => {
  it('gives back every text as it was put, across flushes, read before and after they reach the file', () => {
    const spill = new SpillFile();
    const texts: string[] = [];
    const slots = [];
    for (let i = 0; i < 400; i++) {
      // ASCII, two-, three- and four-byte UTF-8, CRLF, a BOM, empty: byte offsets differ from string offsets
      // every 97th larger than a write block (written on its own), every 7th empty
      const t = i % 7 === 0 ? '' : `\uFEFFfile ${i}: café ✓ 𝒳\r\n`.repeat(i % 97 === 1 ? 5000 : (i % 13) * 120);
      texts.push(t);
      slots.push(spill.put(t));
      // a text still queued (not yet written) is read back as well
      if (i % 50 === 0) expect(spill.get(slots[i]!)).toBe(t);
    }
    slots.forEach((s, i) => expect(spill.get(s)).toBe(texts[i]));
    // bytes: the stored UTF-8 as it is, undecoded
    slots.forEach((s, i) => expect(Buffer.from(spill.bytes(s)).equals(Buffer.from(texts[i]!, 'utf8'))).toBe(true));
    // read twice: reading does not consume
    expect(spill.get(slots[399]!)).toBe(texts[399]);
  });

  it('gives back every text when the temp folder cannot take the file (the run holds them in memory instead of failing)', () => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = join(tmpdir(), `ssot-no-such-dir-${process.pid}`, 'deeper');
    try {
      const spill = new SpillFile();
      const texts = Array.from({ length: 300 }, (_, i) => `file ${i}: café ✓\r\n`.repeat(i % 50 === 3 ? 9000 : 40 * (i % 9)));
      const slots = texts.map((t) => spill.put(t));
      // the texts queued before the first write failed are read from the kept block, the rest are themselves
      expect(slots.some((slot) => typeof slot !== 'string')).toBe(true);
      slots.forEach((slot, i) => expect(spill.get(slot)).toBe(texts[i]));
      slots.forEach((slot, i) => expect(Buffer.from(spill.bytes(slot)).equals(Buffer.from(texts[i]!, 'utf8'))).toBe(true));
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it('keeps a text with a lone surrogate in memory (UTF-8 would turn it into U+FFFD)', () => {
    const spill = new SpillFile();
    const odd = "const s = '\uD800';\n";
    const slot = spill.put(odd);
    expect(typeof slot).toBe('string');
    expect(spill.get(slot)).toBe(odd);
  });
});

describe('runSyntaxPhase with a spill file', () => {
  const ctx = contextFrom(
    withDefaults({
      canonical: { module: 'src/canonical/index', exports: ['WebSocketManager'], contextType: 'Ctx', factory: 'f' },
      legacy: [{ id: 'WSM001', module: 'src/legacy/unified', symbols: { Unified: 'WebSocketManager' } }],
    }),
    { knownModules: ['src/canonical/index', 'src/legacy/unified'], pathsBase: '.', paths: {} },
    () => undefined,
  );
  const files: string[] = [];
  const sources: Record<string, string> = {};
  for (let i = 0; i < 120; i++) {
    const file = `src/app/m${String(i).padStart(3, '0')}.ts`;
    files.push(file);
    sources[file] =
      i % 10 === 0
        ? `export const plain${i} = ${i};\n` // prefiltered out: unchanged
        : `${i % 3 === 0 ? '\uFEFF' : ''}import { Unified } from '../legacy/unified.js';\r\n// é ✓ ${i}\r\nexport const m${i} = new Unified();\r\n`;
  }

  it('reports what an in-memory run reports (texts, diffs, statuses), in process and on the pool, and keeps the originals it read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssot-spill-'));
    try {
      for (const [f, t] of Object.entries(sources)) {
        mkdirSync(join(dir, 'src/app'), { recursive: true });
        writeFileSync(join(dir, f), t);
      }
      const held = await runSyntaxPhase({ repoDir: dir, transformName: 'rewrite-imports', ctx, files, workers: 0, spill: false });
      const changed = held.files.filter((f) => f.after !== undefined);
      expect(changed.length).toBe(108);
      expect(held.files.some((f) => isSpilled(f))).toBe(false);
      for (const workers of [0, 1]) {
        const spilled = await runSyntaxPhase({ repoDir: dir, transformName: 'rewrite-imports', ctx, files, workers, spill: true });
        expect(spilled.files.map((f) => f.report)).toEqual(held.files.map((f) => f.report));
        expect(spilled.files.filter((f) => isSpilled(f)).length).toBe(108);
        spilled.files.forEach((f, i) => {
          const h = held.files[i]!;
          expect([f.before, f.after, f.diff, f.edits]).toEqual([h.before, h.after, h.diff, h.edits]);
        });
        // the originals come from the spill file, not from the tree: a file changed since is not read
        writeFileSync(join(dir, changed[0]!.report.file), 'overwritten\n');
        expect(spilled.files.find((f) => f.report.file === changed[0]!.report.file)!.before).toBe(changed[0]!.before);
        writeFileSync(join(dir, changed[0]!.report.file), sources[changed[0]!.report.file]!);
        // the plan's writes read through to the same texts
        const changes = changesOf(spilled.files);
        expect(changes.every((c) => isSpilled(c))).toBe(true);
        const fieldsOf = (c: object) => Object.fromEntries(['file', 'path', 'before', 'after', 'content', 'diff', 'edits'].map((k) => [k, (c as Record<string, unknown>)[k]]));
        expect(changes.map(fieldsOf)).toEqual(changesOf(held.files).map(fieldsOf));
        const writes = writesOf(changes);
        expect(writes.every((w) => isSpilled(w))).toBe(true);
        expect(writes.map(fieldsOf)).toEqual(writesOf(changesOf(held.files)).map(fieldsOf));
        // a spread copies a view's own fields only: the texts stay behind the view
        expect({ ...writes[0]! }).toEqual({ path: writes[0]!.path });
        expect(writes.map((w) => [w.path, w.content, w.before, w.diff])).toEqual(changed.map((h) => [h.report.file, h.after, h.before, h.diff]));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
