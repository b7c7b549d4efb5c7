import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MEMORY = fileURLToPath(new URL('./memory.ts', import.meta.url));

describe('collectGarbage (engine/memory.ts)', () => {
  // In processes of their own, as commands run it: V8's flags are the process's, and a worker of
  // this suite may have collected before. The cache is made after the collection (as ts-load.js
  // writes typescript.js's at exit) and taken by a next start that never collected.
  it('collects, and leaves V8’s flags as they were: a code cache made after it is taken by the next start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssot-gc-flags-'));
    try {
      const source = 'function f(a) { return a + 1; } f(1);';
      const cache = join(dir, 'c.bin');
      const write = `
        const { Script } = await import('node:vm');
        const { writeFileSync } = await import('node:fs');
        const { collectGarbage } = await import(${JSON.stringify(MEMORY)});
        let held = { big: new Array(1000).fill(0) };
        const ref = new WeakRef(held);
        held = undefined;
        await new Promise((r) => setTimeout(r, 0));
        collectGarbage();
        writeFileSync(${JSON.stringify(cache)}, new Script(${JSON.stringify(source)}, { filename: 'c.js' }).createCachedData());
        console.log(JSON.stringify({ collected: ref.deref() === undefined }));`;
      const read = `
        const { Script } = await import('node:vm');
        const { readFileSync } = await import('node:fs');
        console.log(JSON.stringify({ rejected: new Script(${JSON.stringify(source)}, { filename: 'c.js', cachedData: readFileSync(${JSON.stringify(cache)}) }).cachedDataRejected }));`;
      const { NODE_OPTIONS: _, ...env } = process.env;
      const run = (script: string): unknown => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env, encoding: 'utf8' }).trim());
      expect(run(write)).toEqual({ collected: true });
      expect(run(read)).toEqual({ rejected: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
