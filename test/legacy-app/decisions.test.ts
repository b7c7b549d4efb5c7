/**
 * discover's proposals for the decisions only a person makes (codemods/discover/decisions.ts),
 * on a scratch copy of the legacy app (its node_modules linked, so the canonical package's own
 * source says which canonical names are types), with the manifest's decisions taken out: what
 * discover proposes is what the example's manifest decides.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposeDecisions } from '../../codemods/discover/decisions.js';
import { RepoSnapshot } from '../../codemods/snapshot/snapshot.js';
import { makeScratchRepo } from '../../scripts/demo.js';

let repo: string;
beforeAll(async () => {
  repo = await makeScratchRepo();
}, 120_000);
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('discover proposes the decisions only a person makes (legacy app)', () => {
  it('the public re-exports no rewrite can carry, and the dead function handing out a legacy module', async () => {
    const s = await RepoSnapshot.open(repo);
    const input = { files: s.candidates, read: (f: string) => s.read(f), resolver: s.resolver, context: s.context };
    const undecided = { ...s.manifest, publicApi: s.manifest.publicApi.map(({ replacements: _r, ...p }) => p), deletions: s.manifest.deletions.filter((d) => d.declaration === undefined) };
    const all = proposeDecisions({ ...input, manifest: undecided });
    // exactly what examples/legacy-app/ssot.config.json decides
    for (const r of all.replacements) expect(s.manifest.publicApi[0]?.replacements?.[r.name]).toEqual(r.replacements);
    expect(all.replacements.map((r) => r.field)).toEqual(['publicApi[0].replacements.WebSocketManager', 'publicApi[0].replacements.CRITICAL_EVENTS']);
    expect(all.deletions).toEqual([{ path: 'src/services/lazy_notifier.ts', declaration: 'loadManagerModule', reason: expect.stringContaining('returns legacy module WSM001') }]);
    // what the manifest already decides is no longer proposed
    expect(proposeDecisions({ ...input, manifest: s.manifest })).toEqual({ replacements: [], deletions: [] });
  }, 60_000);

  it('a loader something still names is no dead code', async () => {
    writeFileSync(join(repo, 'src/services/uses_loader.ts'), "import { loadManagerModule } from './lazy_notifier.js';\nexport const m = loadManagerModule();\n");
    const s = await RepoSnapshot.open(repo);
    const manifest = { ...s.manifest, deletions: [] };
    expect(proposeDecisions({ files: s.candidates, read: (f) => s.read(f), resolver: s.resolver, context: s.context, manifest }).deletions).toEqual([]);
    rmSync(join(repo, 'src/services/uses_loader.ts'));
  }, 60_000);

  it('a `$`-named loader something still names is no dead code either (a word search with \\b never matched it)', async () => {
    writeFileSync(join(repo, 'src/services/dollar_loader.ts'), "export async function $loadManager() {\n  return import('../websocket_core/unified_manager.js');\n}\nexport async function $unusedLoader() {\n  return import('../websocket_core/unified_manager.js');\n}\n");
    writeFileSync(join(repo, 'src/services/uses_dollar_loader.ts'), "import { $loadManager } from './dollar_loader.js';\nexport const m = $loadManager();\n");
    const s = await RepoSnapshot.open(repo);
    const manifest = { ...s.manifest, deletions: [] };
    const proposed = proposeDecisions({ files: s.candidates, read: (f) => s.read(f), resolver: s.resolver, context: s.context, manifest }).deletions;
    // the unused one is proposed (the search can say no), the used one is not
    expect(proposed.filter((d) => d.path === 'src/services/dollar_loader.ts').map((d) => d.declaration)).toEqual(['$unusedLoader']);
    rmSync(join(repo, 'src/services/dollar_loader.ts'));
    rmSync(join(repo, 'src/services/uses_dollar_loader.ts'));
  }, 60_000);
});
