/**
 * On relay-backend's sources (read-only, the decision given as manifest text): a
 * `deletions[].declaration` whose declaration is the only user of a legacy import takes the import
 * with it, so no gate counts that import while the deletion is scheduled (legacy-use), and
 * remove-shim's deletion removes it (engine/delete-declaration.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RepoSnapshot } from '../../codemods/index.js';
import { deleteDeclaration } from '../../codemods/engine/delete-declaration.js';
import { legacyUse } from '../../codemods/legacy-use/index.js';

const APP = fileURLToPath(new URL('../../examples/relay-backend', import.meta.url));
const FILE = 'src/services/notifications/typing.ts';

describe('relay-backend: a scheduled declaration takes the legacy import only it uses', () => {
  it('the gate stops counting typing.ts\'s HubRegistry import once showTyping is scheduled, and the deletion removes it', async () => {
    const manifest = JSON.parse(readFileSync(join(APP, 'ssot.config.json'), 'utf8')) as { deletions?: unknown[] };
    const counted = async (deletions: unknown[]) => {
      const snapshot = await RepoSnapshot.open(APP, { manifestText: JSON.stringify({ ...manifest, deletions: [...(manifest.deletions ?? []), ...deletions] }) });
      return (await legacyUse(snapshot)).imports.filter((i) => i.file === FILE).map((i) => i.line);
    };
    // the check can fail: without the decision the import (line 2, a paths alias) is counted
    expect(await counted([])).toEqual([2]);
    expect(await counted([{ path: FILE, declaration: 'showTyping', reason: 'the indicator is dropped' }])).toEqual([]);
    const r = deleteDeclaration(FILE, readFileSync(join(APP, FILE), 'utf8'), 'showTyping');
    expect('after' in r && r.removedImports.sort()).toEqual(['Registry', 'readRuntimeConfig']);
    expect('after' in r && r.after).not.toMatch(/registry|showTyping/);
  });
});
