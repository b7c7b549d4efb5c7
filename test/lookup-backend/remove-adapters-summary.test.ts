/**
 * remove-adapters' commit summary when a lookup has chain templates but no plain template
 * (`getConnection.send` only): the covered use is rewritten, every other use of what the lookup
 * returns is marked `TODO(ssot)[getConnection]` alone, and the summary counts those marks, so the
 * commit never reads as if the lookup were migrated whole.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RepoSnapshot } from '../../codemods/snapshot/snapshot.js';
import { planRemoveAdapters } from '../../codemods/remove-adapters/index.js';
import { writeLinkedBackend } from '../helpers/git-repo.js';
import { APP_FILES, appManifest, FUNCTION_TEMPLATES } from './app.js';

let repo = '';
afterAll(() => {
  if (repo) rmSync(repo, { recursive: true, force: true });
});

describe('remove-adapters summary on the lookup backend, chains without a plain template', () => {
  it('rewrites the covered send, marks each other use of the lookup alone, and says so in the summary', async () => {
    repo = mkdtempSync(path.join(tmpdir(), 'lookup-summary-'));
    const manifest = appManifest();
    const { getConnection: _plain, ...templates } = FUNCTION_TEMPLATES;
    manifest['functions'] = [{ module: 'src/connections', templates }];
    writeLinkedBackend(repo, { ...APP_FILES, 'ssot.config.json': `${JSON.stringify(manifest, null, 2)}\n` });
    const plan = await planRemoveAdapters(await RepoSnapshot.open(repo));
    const notify = String(plan.writes.find((w) => w.path === 'src/notify.ts')?.content);
    expect(notify).toContain('  hubOperations().sendToUser(userId, JSON.parse(JSON.stringify(frame)));\n');
    // notifyIfOnline's `?.` (nothing to test it with), kick's `.close()`, isOnline's comparison
    expect(notify.match(/\/\/ TODO\(ssot\)\[getConnection\]: /g)).toHaveLength(3);
    expect(notify).toContain('  getConnection(userId)?.send(JSON.stringify(frame));\n');
    expect(notify).toContain('  getConnection(userId)?.close();\n');
    expect(plan.summary).toMatch(/; 3 use\(s\) of lookup results marked TODO\(ssot\), no chain or plain template: getConnection ×3$/);
    expect(plan.needsReview.filter((r) => r.file === 'src/notify.ts')).toHaveLength(3);
  }, 120_000);
});
