/**
 * The second backend: discover's move proposals on relay-backend (declarations of its legacy
 * hub module that are not legacy and that other files import), and one of them moved in memory
 * with every import following it. Read-only: nothing is written to the example.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RepoSnapshot } from '../../codemods/index.js';
import { declaredNames, planMoves, proposeMoves } from '../../codemods/move-declarations/index.js';
import { parseSource } from '../../codemods/engine/parse.js';

const APP = fileURLToPath(new URL('../../examples/relay-backend', import.meta.url));

describe('move-declarations on relay-backend', () => {
  it('proposes the hub module helpers other files import, and moves one with every import following', async () => {
    const s = await RepoSnapshot.open(APP);
    const input = { files: s.candidates, read: (f: string) => s.read(f), resolver: s.resolver, prefilterTokens: s.context.prefilterTokens };
    // what discover proposes before a person confirms anything (the manifest's own moves left out)
    const proposals = proposeMoves({ ...input, manifest: { ...s.manifest, moves: [] } });
    expect(proposals.map((p) => `${p.from}#${p.name}`)).toEqual(['src/realtime/hub#HubHealth', 'src/realtime/hub#MAX_PAYLOAD_BYTES', 'src/realtime/hub#newId']);
    const users = proposals.find((p) => p.name === 'newId')!.usedBy;
    expect(users.length).toBeGreaterThanOrEqual(4);

    const r = planMoves({ ...input, moves: [{ from: 'src/realtime/hub', name: 'newId', to: 'src/util/ids' }] });
    expect(r.problems).toEqual([]);
    expect(r.moved).toHaveLength(1);
    const hub = r.texts.get('src/realtime/hub.ts')!;
    expect(parseSource('hub.ts', hub).sf.statements.flatMap(declaredNames)).not.toContain('newId');
    const ids = r.texts.get('src/util/ids.ts')!;
    expect(parseSource('ids.ts', ids).sf.statements.flatMap(declaredNames)).toContain('newId');
    for (const u of users) {
      const text = r.texts.get(u)!;
      expect(parseSource(u, text).error, u).toBeUndefined();
      expect(text, u).toMatch(/import \{[^}]*\bnewId\b[^}]*\} from '[^']*util\/ids(\.js)?'/);
    }
  }, 60_000);

  it("the manifest confirms every proposal (and HubMode, which HubHealth needs), moving each out of the hub module with every importer following", async () => {
    const s = await RepoSnapshot.open(APP);
    const input = { files: s.candidates, read: (f: string) => s.read(f), resolver: s.resolver, prefilterTokens: s.context.prefilterTokens };
    expect(proposeMoves({ ...input, manifest: s.manifest })).toEqual([]);
    expect(s.manifest.moves.map((m) => m.name).sort()).toEqual(['HubHealth', 'HubMode', 'MAX_PAYLOAD_BYTES', 'newId']);
    const r = planMoves({ ...input, moves: s.manifest.moves });
    expect(r.problems).toEqual([]);
    expect(r.moved).toHaveLength(4);
    const hub = r.texts.get('src/realtime/hub.ts')!;
    const left = parseSource('hub.ts', hub).sf.statements.flatMap(declaredNames);
    for (const name of ['newId', 'MAX_PAYLOAD_BYTES', 'HubMode', 'HubHealth']) expect(left).not.toContain(name);
    // no file outside the legacy module imports a moved name from it any more
    for (const [file, text] of r.texts) {
      if (file === 'src/realtime/hub.ts') continue;
      expect(parseSource(file, text).error, file).toBeUndefined();
      expect(text, file).not.toMatch(/import[^;]*\b(newId|MAX_PAYLOAD_BYTES|HubHealth|HubMode)\b[^;]*from '[^']*realtime\/hub(\.js)?'/);
    }
  }, 60_000);
});
