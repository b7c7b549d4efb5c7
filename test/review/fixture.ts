/**
 * A real git repo holding two phase commits whose messages come from the runner's own
 * `phaseCommitMessage`: rewrite-imports (the same import edit in five files, differing only in the
 * relative path and a locally imported name, plus one different edit) and remove-adapters
 * (two TODO(ssot) markers and needs-review entries).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { git, initAndCommit, writeFiles } from '../helpers/git-repo.js';
import type { PhasePlan } from '../../codemods/index.js';
import { phaseCommitMessage } from '../../scripts/git/index.js';

export { git } from '../helpers/git-repo.js';

const manifest = {
  canonical: { module: 'src/canonical', exports: ['createWebSocketManager', 'ScopedWebSocketManager', 'UserExecutionContext'], contextType: 'UserExecutionContext', factory: 'createWebSocketManager' },
  legacy: [{ id: 'WSM001', module: 'src/legacy/unified_manager', symbols: { UnifiedWebSocketManager: 'ScopedWebSocketManager', getWebSocketManager: 'createWebSocketManager' } }],
  adapters: [],
  duplicateTypes: [],
  phases: ['discover', 'rewrite-imports', 'remove-adapters'],
  verify: { typecheck: 'true', test: 'true' },
};

/** Consumer i at some depth, importing the legacy manager and one local helper. */
function consumer(i: number, legacy: boolean): string {
  const depth = '../'.repeat(1 + (i % 3));
  const local = ['sendAll', 'notify', 'relay', 'fanOut', 'broadcast'][i % 5]!;
  const imp = legacy
    ? `import { UnifiedWebSocketManager, ${local} } from '${depth}legacy/unified_manager.js';`
    : `import { ScopedWebSocketManager, ${local} } from '${depth}canonical/index.js';`;
  return `${imp}\n\nexport function handler${i}(m: ${legacy ? 'UnifiedWebSocketManager' : 'ScopedWebSocketManager'}) {\n  return ${local}(m, 'event-${i}');\n}\n`;
}

function plan(phase: PhasePlan['phase'], summary: string, edits: number, needsReview: PhasePlan['needsReview'] = []): PhasePlan {
  return { phase, writes: [], edits, summary, needsReview, problems: [] };
}

export interface ReviewFixture {
  repo: string;
  rewriteSha: string;
  removeSha: string;
  consumers: string[];
}

export function makeReviewRepo(): ReviewFixture {
  const repo = mkdtempSync(path.join(os.tmpdir(), 'ssot-review-'));
  const consumers = [0, 1, 2, 3, 4].map((i) => `src/${'sub/'.repeat(i % 3)}consumer${i}.ts`);
  const files: Record<string, string> = { 'ssot.config.json': JSON.stringify(manifest, null, 2) + '\n' };
  consumers.forEach((f, i) => (files[f] = consumer(i, true)));
  files['src/factory_user.ts'] = `import { getWebSocketManager } from './legacy/unified_manager.js';\n\nexport const m = getWebSocketManager();\n`;
  files['src/agent.ts'] = `export function run(adapter: any) {\n  adapter.notifyAgentStarted('triage');\n}\n\nexport function other(adapter: any) {\n  adapter.notifyAgentStarted('summary');\n}\n`;
  files['src/legacy/obsolete.ts'] = `export const obsolete = 1;\n`;
  writeFiles(repo, files);
  initAndCommit(repo);

  // rewrite-imports: five identical edits modulo path and local name, one different one, a deletion.
  const rewritten: Record<string, string> = {};
  consumers.forEach((f, i) => (rewritten[f] = consumer(i, false)));
  rewritten['src/factory_user.ts'] = `import { createWebSocketManager } from './canonical/index.js';\n\nexport const m = getWebSocketManager();\n`;
  writeFiles(repo, rewritten);
  git(repo, 'rm', '-q', 'src/legacy/obsolete.ts');
  git(repo, 'add', '-A');
  const verdict = { ok: true, failures: [], summary: 'typecheck 0 -> 0 error(s); tests 3 -> 3 passed' };
  git(repo, 'commit', '-qm', phaseCommitMessage(plan('rewrite-imports', 'rewrote 6 import(s) in 6 file(s)', 6), { files: 7, before: 12.5, after: 87.5 }, verdict.summary));
  const rewriteSha = git(repo, 'rev-parse', 'HEAD').trim();

  // remove-adapters: two markers where no context is in scope.
  writeFiles(repo, {
    'src/agent.ts':
      `export function run(adapter: any) {\n  // TODO(ssot): no UserExecutionContext in scope for notifyAgentStarted; pass one in\n  adapter.emit('agent_started', { agentName: 'triage' });\n}\n\n` +
      `export function other(adapter: any) {\n  // TODO(ssot): no UserExecutionContext in scope for notifyAgentStarted; pass one in\n  adapter.emit('agent_started', { agentName: 'summary' });\n}\n`,
  });
  git(repo, 'add', '-A');
  const review = [
    { file: 'src/agent.ts', line: 2, message: 'notifyAgentStarted: no UserExecutionContext in scope' },
    { file: 'src/agent.ts', line: 7, message: 'notifyAgentStarted: no UserExecutionContext in scope' },
  ];
  git(repo, 'commit', '-qm', phaseCommitMessage(plan('remove-adapters', 'removed 2 adapter call(s)', 2, review), { files: 1, before: 87.5, after: 100 }, verdict.summary));
  const removeSha = git(repo, 'rev-parse', 'HEAD').trim();
  return { repo, rewriteSha, removeSha, consumers };
}
