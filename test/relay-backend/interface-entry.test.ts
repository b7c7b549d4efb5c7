/**
 * A classes[] entry that describes a legacy interface itself (relay-backend's notification slice
 * `RealtimeHubApi`), on the second backend: its own templates win over those of the class that
 * satisfies it; a member it leaves without a template is marked, and the parameter stays; with
 * every member mapped the parameter goes dead and its legacy type import with it. On the
 * example's sources (read-only).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../manifest/index.js';
import { analyzeRemoveAdapters } from '../../codemods/remove-adapters/index.js';
import type { SsotManifest } from '../../manifest/types.js';

const APP = fileURLToPath(new URL('../../examples/relay-backend', import.meta.url));
const FILE = 'src/services/notifications/thread-notices.ts';

function rewrite(manifest: SsotManifest) {
  const project = new Project({ tsConfigFilePath: join(APP, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
  const read = (f: string) => readFileSync(join(APP, f), 'utf8');
  const load = (fs: readonly string[]) => {
    for (const f of fs) project.addSourceFileAtPathIfExists(join(APP, f));
    project.resolveSourceFileDependencies();
    return project;
  };
  const r = analyzeRemoveAdapters(APP, manifest, [FILE], read, load);
  return { after: r.changes.find((c) => c.file === FILE)?.after ?? read(FILE), review: r.needsReview.filter((n) => n.file === FILE).map((n) => n.message) };
}

const entry = (members: Record<string, string>) => ({ module: 'src/services/notifications/hub-api', class: 'RealtimeHubApi', members });

describe('remove-adapters on relay-backend: a classes[] entry describing an interface', () => {
  it('its own templates apply; an unmapped member stays for review and keeps the parameter', async () => {
    const manifest = await loadManifest(APP);
    const { after, review } = rewrite({ ...manifest, classes: [...manifest.classes, entry({ isOnline: '$hub.connectionCount($1) > 0' })] });
    expect(after).toContain('hubOperations().connectionCount(userId) > 0');
    expect(after).toContain('hub.publishToUser(userId, event)');
    expect(after).toContain("import type { RealtimeHubApi } from './hub-api.js';");
    expect(review.filter((m) => m.includes('publishToUser'))).toHaveLength(1);
  }, 120_000);

  it('every member mapped: the parameter nothing reads goes dead, its legacy type import with it', async () => {
    const manifest = await loadManifest(APP);
    const { after } = rewrite({ ...manifest, classes: [...manifest.classes, entry({ isOnline: '$hub.connectionCount($1) > 0', publishToUser: '$hub.sendToUser($1, $2)' })] });
    expect(after).toContain('return hubOperations().sendToUser(userId, event);');
    expect(after).not.toContain('RealtimeHubApi');
    // callers elsewhere still pass it: it keeps its place, typed unknown
    expect(after).toContain('export function deliver(hub: unknown = undefined, userId: string');
  }, 120_000);
});
