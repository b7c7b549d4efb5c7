import { mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModeRegistry } from '../modes.js';
import { MAX_TOGGLES_FILE_BYTES, readTogglesFile, setToggle } from '../toggles-file.js';
import { watchTogglesFile } from '../toggles-watch.js';
import type { TogglesWatcher } from '../toggles-watch.js';
import { command as toggle } from '../../scripts/commands/toggle.js';

let dir: string;
let watcher: TogglesWatcher | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssot-toggles-'));
});
afterEach(async () => {
  watcher?.close();
  watcher = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Waits for a condition driven by file-system events; bounded generously, not a timing assertion. */
async function until(cond: () => boolean, limitMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > limitMs) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('toggles file', () => {
  it('setToggle writes atomically, keeps other ids, and * clears per-id overrides', async () => {
    const file = join(dir, 'nested', 'toggles.json');
    await setToggle(file, 'WSM001', 'legacy');
    await setToggle(file, 'WSM002', 'strict');
    expect([...(await readTogglesFile(file))]).toEqual([
      ['WSM001', 'legacy'],
      ['WSM002', 'strict'],
    ]);
    const r = await setToggle(file, '*', 'canonical');
    expect(r.cleared).toEqual([
      ['WSM001', 'legacy'],
      ['WSM002', 'strict'],
    ]);
    expect([...(await readTogglesFile(file))]).toEqual([['*', 'canonical']]);
    // No temp files left behind.
    expect(await readdir(join(dir, 'nested'))).toEqual(['toggles.json']);
  });

  it('refuses to overwrite a malformed file (loses nothing)', async () => {
    const file = join(dir, 'toggles.json');
    await writeFile(file, '{ not json');
    await expect(setToggle(file, 'WSM001', 'legacy')).rejects.toThrow(/not valid JSON/);
    expect(await readFile(file, 'utf8')).toBe('{ not json');
  });

  it('the CLI command writes the file and rejects unknown modes', async () => {
    const file = join(dir, 't.json');
    expect(await toggle.run(['WSM003', 'shadow', '--file', file])).toBe(0);
    expect([...(await readTogglesFile(file))]).toEqual([['WSM003', 'shadow']]);
    expect(await toggle.run(['WSM003', 'sideways', '--file', file])).toBe(2);
    expect(await toggle.run(['WSM003'])).toBe(2);
  });
});

describe('watchTogglesFile', () => {
  it('applies a flip written after start, without any explicit reload', async () => {
    const file = join(dir, 'toggles.json');
    const modes = new ModeRegistry();
    watcher = watchTogglesFile(modes, file, { pollMs: 100 });
    expect(modes.get('WSM001')).toBe('canonical');
    await setToggle(file, 'WSM001', 'legacy');
    await until(() => modes.get('WSM001') === 'legacy');
    await setToggle(file, 'WSM001', 'strict');
    await until(() => modes.get('WSM001') === 'strict');
    expect(modes.flips().map((f) => [f.id, f.from, f.to, f.source])).toEqual([
      ['WSM001', 'canonical', 'legacy', 'file'],
      ['WSM001', 'legacy', 'strict', 'file'],
    ]);
  });

  it('keeps the last good state on a malformed file and reports the error once', async () => {
    const file = join(dir, 'toggles.json');
    await setToggle(file, 'WSM001', 'legacy');
    const modes = new ModeRegistry();
    const errors: string[] = [];
    watcher = watchTogglesFile(modes, file, { pollMs: 100, onError: (e) => errors.push((e as Error).message) });
    expect(modes.get('WSM001')).toBe('legacy');
    await writeFile(file, JSON.stringify({ version: 1, modes: { WSM001: 'rollback' } }));
    await until(() => errors.length > 0);
    watcher.reload();
    watcher.reload();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/rollback/);
    expect(modes.get('WSM001')).toBe('legacy');
    // setToggle would refuse the malformed file; the operator fixes it by hand.
    await writeFile(file, JSON.stringify({ version: 1, modes: { WSM001: 'canonical' } }));
    await until(() => modes.get('WSM001') === 'canonical');
    expect(watcher.lastError).toBeUndefined();
  });

  it('keeps bounded memory for any file size: a 500 MB file is refused unread, the last good modes stay', async () => {
    const file = join(dir, 'toggles.json');
    await setToggle(file, 'WSM001', 'legacy');
    const modes = new ModeRegistry();
    const errors: string[] = [];
    watcher = watchTogglesFile(modes, file, { pollMs: 100, onError: (e) => errors.push((e as Error).message) });
    expect(modes.get('WSM001')).toBe('legacy');
    (globalThis as { gc?: () => void }).gc?.();
    const before = process.memoryUsage();
    // A sparse file: 500 MB long, written in no time. The old watcher read it whole (506 MiB of heap).
    await truncate(file, 500 * 1024 * 1024);
    await until(() => errors.length > 0);
    expect(errors[0]).toMatch(/524288000 bytes, over the 1048576-byte limit of a toggles file/);
    const after = process.memoryUsage();
    expect(after.heapUsed - before.heapUsed).toBeLessThan(32 * 1024 * 1024);
    expect(after.external + after.arrayBuffers - (before.external + before.arrayBuffers)).toBeLessThan(32 * 1024 * 1024);
    expect(modes.get('WSM001')).toBe('legacy');
    await expect(readTogglesFile(file)).rejects.toThrow(/over the 1048576-byte limit/);
    // Just over the limit, written for real: refused too; back under it: read again.
    await writeFile(file, JSON.stringify({ version: 1, modes: { WSM001: 'strict' }, pad: 'x'.repeat(MAX_TOGGLES_FILE_BYTES) }));
    watcher.reload();
    expect(modes.get('WSM001')).toBe('legacy');
    await writeFile(file, JSON.stringify({ version: 1, modes: { WSM001: 'strict' } }));
    await until(() => modes.get('WSM001') === 'strict');
  });

  it('picks up a file whose directory does not exist yet (poll fallback)', async () => {
    const file = join(dir, 'later', 'toggles.json');
    const modes = new ModeRegistry();
    watcher = watchTogglesFile(modes, file, { pollMs: 100 });
    await setToggle(file, '*', 'strict');
    await until(() => modes.get('WSM007') === 'strict');
  });
});
