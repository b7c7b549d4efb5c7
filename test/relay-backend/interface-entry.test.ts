/**
 * A classes[] entry that describes a legacy interface itself (relay-backend's notification slice
 * `RealtimeHubApi`), on the second backend: its own templates win over those of the class that
 * satisfies it; a member it leaves without a template is marked, and the parameter stays; with
 * every member mapped the parameter goes dead and its legacy type import with it. On the
 * example's sources (read-only).
 */
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../manifest/index.js';
import { analyzeApp, RELAY_APP as APP } from './analyze-app.js';
import type { SsotManifest } from '../../manifest/types.js';

const FILE = 'src/services/notifications/thread-notices.ts';

function rewrite(manifest: SsotManifest) {
  const { read, r } = analyzeApp(manifest, [FILE]);
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
