/**
 * remove-adapters rewrites members of relay-backend's RealtimeHub (a synchronous API with other
 * names than legacy-app's) from the same classes[] table the shim's canonical mode reads: calls
 * on the class, on its alias and on the legacy-module contracts it satisfies become the hub-level
 * operations; what the table leaves to legacy code or to a person is marked, never guessed; no
 * rewritten call leaves a promise floating. On the example's sources (read-only).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../manifest/index.js';
import { analyzeApp, RELAY_APP as APP } from './analyze-app.js';
import { floatingPromises } from '../../codemods/engine/floating.js';


describe('remove-adapters on relay-backend: member templates', () => {
  it('rewrites RealtimeHub members through its templates, marks the rest, floats no promise', async () => {
    const manifest = await loadManifest(APP);
    const files = ['src/api/index.ts', 'src/services/notifications/thread-notices.ts', 'src/services/notifications/typing.ts', 'src/http/handlers/admin-handler.ts', 'src/jobs/index.ts'];
    const { project, read, r } = analyzeApp(manifest, files);
    const after = (f: string) => r.changes.find((c) => c.file === f)?.after ?? read(f);
    // on the singleton from the factory (the receiver is dropped with the factory call) …
    expect(after('src/api/index.ts')).toContain("return hubOperations().sendToUser(userId, { type: 'notice', level, text });");
    expect(after('src/api/index.ts')).not.toContain('HubRegistry.shared()');
    // … and on a value typed by a legacy-module contract (RealtimeHubApi) the class satisfies
    expect(after('src/services/notifications/thread-notices.ts')).toContain('if (!hubOperations().isOnline(userId)) {');
    // a hub-level template applies even where the factory call gets the request's scope (context threading): a per-user manager has no broadcastAll
    expect(after('src/http/handlers/admin-handler.ts')).toContain("const sockets = hubOperations().broadcastAll({ type: 'announcement', text, from: req.user.id });");
    // the run-time mode, decided in the manifest: setMode accepted and ignored, health() the hub's own and always live
    expect(after('src/http/handlers/admin-handler.ts')).toContain('(void (mode as HubMode));');
    expect(after('src/http/handlers/admin-handler.ts')).toContain("return { status: 200, body: ({ ...hubOperations().health(), status: 'ok' as const, mode: 'live' as never }) };");
    const review = r.needsReview.map((n) => `${n.file}: ${n.message}`);
    expect(review.filter((m) => /setMode|RealtimeHub\.health|\$legacy/.test(m))).toEqual([]);
    // every template went through the one reader: no placeholder is left in any output
    const code = (t: string) => t.split('\n').filter((l) => !l.includes('TODO(ssot)')).join('\n');
    for (const c of r.changes) expect(code(c.after)).not.toMatch(/\$(hub|ctx|user|run|legacy|self|[1-9])\b/);
    // the rewritten texts compile without a floating promise (the hub operations are synchronous)
    for (const c of r.changes) project.createSourceFile(join(APP, c.file), c.after, { overwrite: true });
    const checker = project.getTypeChecker().compilerObject;
    for (const c of r.changes) expect(floatingPromises(project.getSourceFileOrThrow(join(APP, c.file)).compilerNode, checker).map((e) => e.getText())).toEqual([]);
  }, 120_000);

  it('unwraps RunEventPusher.forCurrentRequest(hub), a static factory found from the code, like new RunEventPusher(hub, …)', async () => {
    const manifest = await loadManifest(APP);
    // the manifest names no factory method: the static is found by its return type and its manager parameter
    expect(JSON.stringify(manifest.adapters)).not.toContain('forCurrentRequest');
    const files = ['src/http/handlers/run-handler.ts'];
    const { r } = analyzeApp(manifest, files);
    const after = r.changes.find((c) => c.file === files[0])?.after ?? '';
    expect(after).toContain('const pusher = hub;');
    // the run it acts for (adapters[].scope) is read from the manager's context
    expect(after).toContain('body: { runId: pusher.context.runId, threadId: pusher.context.threadId, ...outcome }');
    expect(after).not.toContain('RunEventPusher');
    expect(r.needsReview.map((n) => n.message).join('\n')).not.toContain('forCurrentRequest');
  }, 120_000);
});
