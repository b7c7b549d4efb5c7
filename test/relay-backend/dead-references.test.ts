/**
 * On relay-backend's sources (read-only): the dead-reference cleanup keeps what its manifest
 * says is public (src/api/index re-exports legacy run-event names: publicApi) and what a file
 * imports, and remove-adapters sees the factory through a destructured `await import()` (the
 * admin page's lazy load) and `require()` (the CommonJS ops script), as legacy-app's recovery.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../manifest/index.js';
import { analyzeRemoveAdapters } from '../../codemods/remove-adapters/index.js';
import { RepoSnapshot } from '../../codemods/index.js';
import { resolvedOwners } from '../../codemods/legacy-use/index.js';
import { removeDeadReferences } from '../../codemods/rewrite-imports/dead-references.js';
import { moduleIdOf } from '../../codemods/engine/module-id.js';
import { isFrozenFile } from '../../codemods/strangle/layout.js';
import { unhoisted } from '../helpers/hub-hoist.js';

const APP = fileURLToPath(new URL('../../examples/relay-backend', import.meta.url));
const read = (f: string) => readFileSync(join(APP, f), 'utf8');

describe('relay-backend: dead references and factories through module loads', () => {
  it('removes no re-export that is public API or imported, and shows it would remove one that is neither; removes an import nothing names', async () => {
    const snapshot = await RepoSnapshot.open(APP);
    const owners = resolvedOwners(snapshot);
    const input = (text: (f: string) => string | undefined) => ({
      files: snapshot.candidates,
      editable: (f: string) => !owners.has(moduleIdOf(f)) && !isFrozenFile(f),
      read: text,
      resolver: snapshot.resolver,
      resolverData: snapshot.resolverData,
      legacy: new Set(owners.keys()),
      publicApi: snapshot.manifest.publicApi,
    });
    // the one change: the admin handler's import nothing names (its @ts-ignore directive goes with it)
    const found = removeDeadReferences(input((f) => snapshot.read(f)));
    expect(found.map((c) => [c.file, c.removed, c.loads, c.imports])).toEqual([['src/http/handlers/admin-handler.ts', [], [], ['HubStats from ../../realtime/hub.js']]]);
    expect(found[0]!.after).not.toMatch(/@ts-ignore|HubStats/);
    expect(found[0]!.after).toContain("import { HubRegistry } from '../../realtime/registry.js';\nimport type { Hub } from '../../compat/socket-hub.js';\n");
    // without the publicApi entry, src/api/index's re-export of the legacy run-event names is
    // read by no file in the repo: it would go (the check can fail)
    const bare = removeDeadReferences({ ...input((f) => snapshot.read(f)), publicApi: [] });
    const api = bare.find((c) => c.file === 'src/api/index.ts');
    expect(api?.removed).toEqual(expect.arrayContaining(['RUN_EVENT_TYPES', 'isRunEvent', 'RunEventType']));
    expect(api?.after).not.toContain("from '../agents/run-events.js'");
  });

  it('drops HubRegistry.shared() reached through a destructured await import() or a typed require() when only hub-level members read it, and the load with it', async () => {
    const manifest = await loadManifest(APP);
    const project = new Project({ tsConfigFilePath: join(APP, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
    const load = (fs: readonly string[]) => {
      for (const f of fs) project.addSourceFileAtPathIfExists(join(APP, f));
      project.resolveSourceFileDependencies();
      return project;
    };
    const r = analyzeRemoveAdapters(APP, manifest, ['src/services/presence.ts', 'src/legacy/presence-report.cts', 'src/http/handlers/admin-handler.ts'], read, load);
    const after = (f: string) => r.changes.find((c) => c.file === f)?.after ?? read(f);
    expect(read('src/services/presence.ts')).toContain("const { HubRegistry } = await import('../realtime/registry.js');");
    // the manager is read only through hub-level templates: the const, and the load that only served it, are gone; no context is threaded for it
    expect(unhoisted(after('src/services/presence.ts'))).not.toMatch(/const hub =|createWebSocketManager|\.\.\/realtime\/registry/);
    expect(unhoisted(after('src/services/presence.ts'))).toContain('hubOperations().listConnectedUsers()');
    // the same at module top level (a CommonJS require asserted to the module's type): nothing to mark, the load goes
    expect(read('src/legacy/presence-report.cts')).toContain("require('../realtime/registry')");
    expect(after('src/legacy/presence-report.cts')).not.toMatch(/realtime\/registry|HubRegistry/);
    expect(r.needsReview.filter((n) => n.file === 'src/legacy/presence-report.cts' || n.file === 'src/services/presence.ts')).toEqual([]);
  });

  it('does the same through a plain, untyped require() (`any` to the checker): the registry module\'s own declarations type the chain', async () => {
    const manifest = await loadManifest(APP);
    const file = 'src/legacy/presence-report.cts';
    const untyped = read(file).replace(" as typeof import('../realtime/registry.js')", '');
    expect(untyped).toContain("const { HubRegistry } = require('../realtime/registry');\n");
    const project = new Project({ tsConfigFilePath: join(APP, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
    project.createSourceFile(join(APP, file), untyped, { overwrite: true });
    project.resolveSourceFileDependencies();
    const load = () => project;
    const r = analyzeRemoveAdapters(APP, manifest, [file], (f) => (f === file ? untyped : read(f)), load);
    const after = r.changes.find((c) => c.file === file)?.after ?? untyped;
    expect(after).not.toMatch(/realtime\/registry|HubRegistry/);
    expect(after).toContain('hubOperations().listConnectedUsers()');
    expect(r.needsReview.filter((n) => n.file === file)).toEqual([]);
  });
});
