/**
 * A boot construction on the second backend: a diagnostics sidecar that builds its own
 * `RealtimeHub` at start-up (the hub's header says not to; apps do it anyway) and parks it on
 * `globalThis`, read back elsewhere through a cast. remove-adapters on relay-backend's real
 * project and manifest, with the two sidecar files added in memory (the example is read-only):
 * without a constructions[] entry the reader's cast keeps `RealtimeHub` (the global holds the
 * legacy object) and is marked; with one (`$hub`, typed `HubOperations`) the construction becomes
 * the privileged hub operations and the cast takes that type. A cast to `RealtimeHub | undefined`
 * of the same place is the same claim, kept or retyped alike.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { analyzeRemoveAdapters } from '../../codemods/remove-adapters/index.js';
import { loadManifest } from '../../manifest/index.js';
import type { SsotManifest } from '../../manifest/types.js';
import { RELAY_APP as APP } from './analyze-app.js';

const BOOT = 'src/diagnostics/boot.ts';
const READER = 'src/diagnostics/report.ts';
/** The same place cast to a union with `undefined`: the same claim about the value. */
const MAYBE = 'src/diagnostics/maybe-report.ts';
const sidecar = new Map<string, string>([
  [BOOT, "import RealtimeHub from '../realtime/hub.js';\n\n/** Starts the diagnostics sidecar with a hub of its own. */\nexport function startDiagnostics(): void {\n  const hub = new RealtimeHub();\n  (globalThis as any).diagnosticsHub = hub;\n}\n"],
  [READER, "import type { RealtimeHub } from '../realtime/hub.js';\n\nexport function diagnosticsReport(): number {\n  const hub = (globalThis as any).diagnosticsHub as RealtimeHub;\n  return hub ? hub.connectionCount() : 0;\n}\n"],
  [MAYBE, "import type { RealtimeHub } from '../realtime/hub.js';\n\nexport function maybeReport(): number {\n  const hub = (globalThis as any).diagnosticsHub as RealtimeHub | undefined;\n  return hub === undefined ? 0 : hub.connectionCount();\n}\n"],
]);

function analyze(manifest: SsotManifest) {
  const project = new Project({ tsConfigFilePath: join(APP, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
  const read = (f: string) => sidecar.get(f) ?? readFileSync(join(APP, f), 'utf8');
  const load = (fs: readonly string[]) => {
    for (const f of fs) {
      if (sidecar.has(f)) project.createSourceFile(join(APP, f), sidecar.get(f)!, { overwrite: true });
      else project.addSourceFileAtPathIfExists(join(APP, f));
    }
    project.resolveSourceFileDependencies();
    return project;
  };
  const r = analyzeRemoveAdapters(APP, manifest, [BOOT, READER, MAYBE], read, load);
  return { r, out: (f: string) => r.changes.find((c) => c.file === f)?.after ?? sidecar.get(f)! };
}

describe('remove-adapters on relay-backend: a hub built at boot and parked on globalThis', () => {
  it('without a constructions[] entry: the cast keeps RealtimeHub, marked; its file keeps its legacy type import', async () => {
    const { r, out } = analyze(await loadManifest(APP));
    expect(out(READER)).toContain('(globalThis as any).diagnosticsHub as RealtimeHub;');
    expect(out(READER)).toContain('hubOperations().connectionCount()');
    expect(out(MAYBE)).toContain('(globalThis as any).diagnosticsHub as RealtimeHub | undefined;');
    expect(r.heldBack).toEqual(new Set([READER, MAYBE]));
    expect(r.needsReview.filter((n) => n.file === MAYBE).map((n) => n.message)).toEqual([expect.stringContaining(`holds the legacy RealtimeHub constructed at ${BOOT}:5`)]);
    expect(r.needsReview.filter((n) => n.file === READER).map((n) => n.message)).toEqual([expect.stringContaining(`holds the legacy RealtimeHub constructed at ${BOOT}:5`)]);
    expect(out(BOOT)).toContain('new RealtimeHub()');
  }, 120_000);

  it('with one: the construction becomes $hub, the cast takes its type, no legacy name is left in either file', async () => {
    const manifest = await loadManifest(APP);
    const m: SsotManifest = { ...manifest, canonical: { ...manifest.canonical, exports: [...manifest.canonical.exports, 'HubOperations'] }, constructions: [{ module: 'src/realtime/hub', class: 'RealtimeHub', replacement: '$hub', type: 'HubOperations' }] };
    const { r, out } = analyze(m);
    expect(out(BOOT)).toContain('const hub = hubOperations();');
    expect(out(READER)).toContain('(globalThis as any).diagnosticsHub as HubOperations;');
    expect(out(MAYBE)).toContain('(globalThis as any).diagnosticsHub as HubOperations | undefined;');
    for (const f of [BOOT, READER, MAYBE]) expect(out(f)).not.toMatch(/RealtimeHub|realtime\/hub/);
    expect(r.needsReview).toEqual([]);
    expect(r.heldBack).toEqual(new Set());
  }, 120_000);
});
