import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReview, formatReviewText, hunkShape, parseCommitMessage, phaseCommitMessage, renderReviewHtml, useColor } from '../../scripts/review/index.js';
import { git, makeReviewRepo, type ReviewFixture } from './fixture.js';
import { BUILT_CLI } from '../runner/cli-process.js';

const run = promisify(execFile);
// the built CLI (dist/, as an installed package runs it; test/runner/built-cli.mjs), not the checkout's bin, which runs the
// sources through tsx: ~0.35 CPU-s more a start for --version, 1.3-2.4 for an init (test/cli/basics.test.ts keeps the checkout's bin)
const bin = BUILT_CLI;

let fx: ReviewFixture;
beforeAll(() => {
  fx = makeReviewRepo();
});
afterAll(() => rmSync(fx.repo, { recursive: true, force: true }));

describe('hunk shapes', () => {
  it('equal modulo string literals and names kept on both sides; legacy vocabulary stays literal', () => {
    const a = hunkShape([
      { sign: '-', text: "import { Old, helper } from '../../legacy/a.js';" },
      { sign: '+', text: "import { New, helper } from '../canonical/index.js';" },
    ]);
    const b = hunkShape([
      { sign: '-', text: "    import { Old, relay } from './legacy/a.js';" },
      { sign: '+', text: "    import { New, relay } from \"./canonical/index.js\";" },
    ]);
    expect(a.key).toBe(b.key);
    expect(a.lines).toEqual(['-import { Old, ⟨id1⟩ } from ⟨str⟩;', '+import { New, ⟨id1⟩ } from ⟨str⟩;']);
    const c = hunkShape([
      { sign: '-', text: "import { Other, helper } from '../../legacy/a.js';" },
      { sign: '+', text: "import { New, helper } from '../canonical/index.js';" },
    ]);
    expect(c.key).not.toBe(a.key);
  });

  it('a name in the vocabulary is never a placeholder, even when kept on both sides', () => {
    const lines = [
      { sign: '-' as const, text: 'const m = new Adapter(mgr);' },
      { sign: '+' as const, text: 'const m = mgr; // Adapter removed' },
    ];
    expect(hunkShape(lines).lines[0]).toBe('-const ⟨id1⟩ = new Adapter(⟨id2⟩);');
    expect(hunkShape(lines, new Set(['m'])).lines[0]).toBe('-const m = new Adapter(⟨id1⟩);');
  });

  it('context lines are not part of the shape but make their names local', () => {
    const s = hunkShape([
      { sign: ' ', text: 'function f(sock) {' },
      { sign: '-', text: '  legacySend(sock);' },
      { sign: '+', text: '  canonicalSend(sock);' },
    ]);
    expect(s.lines).toEqual(['-legacySend(⟨id1⟩);', '+canonicalSend(⟨id1⟩);']);
  });
});

describe('phase commit messages', () => {
  it('reads lists, figures and trailers, and flags a count that disagrees', () => {
    const msg = 'ssot(remove-adapters): x\n\nNeeds review (2):\n- src/a.ts:3 no context\n\nVerified: ok\n\nSSOT-Needs-Review: 2\nSSOT-Compliance: 10.0->55.5\nSSOT-Files: 4\n';
    const parsed = parseCommitMessage(msg);
    expect(parsed.needsReview).toEqual([{ file: 'src/a.ts', line: 3, message: 'no context' }]);
    expect(parsed.figures).toMatchObject({ files: 4, needsReview: 2, compliance: { before: 10, after: 55.5 }, verified: 'ok' });
    expect(parsed.warnings.join('\n')).toMatch(/Needs review \(2\)" lists 1/);
  });

  it('reads back exactly what the runner writes (one module writes and parses it)', () => {
    const plan = { phase: 'my-rename', summary: 'renamed 3', edits: 3, needsReview: [{ file: 'src/x.ts', line: 4, message: 'look: here' }], problems: [{ file: 'src/y.ts', line: 0, message: 'does not parse' }] };
    const parsed = parseCommitMessage(phaseCommitMessage(plan, { files: 2, before: 50, after: 75 }, 'typecheck 0->0 errors'));
    expect(parsed).toMatchObject({ subject: 'ssot(my-rename): renamed 3', phase: 'my-rename', needsReview: plan.needsReview, leftUntouched: plan.problems, warnings: [] });
    expect(parsed.figures).toEqual({ files: 2, edits: 3, compliance: { before: 50, after: 75 }, needsReview: 1, verified: 'typecheck 0->0 errors' });
  });
});

describe('buildReview on a real repo', () => {
  it('resolves a phase name to its commit and groups identical edits across files', async () => {
    const { report } = await buildReview(fx.repo, 'rewrite-imports');
    expect(report.commit).toBe(fx.rewriteSha);
    expect(report.phase).toBe('rewrite-imports');
    expect(report.figures).toMatchObject({ files: 7, edits: 6, compliance: { before: 12.5, after: 87.5 } });
    expect(report.figures.verified).toMatch(/typecheck 0 -> 0/);
    const top = report.groups[0]!;
    expect(top.count).toBe(5);
    expect(top.members.map((m) => m.file).sort()).toEqual([...fx.consumers].sort());
    expect(top.transform).toBe('rewrite-imports');
    // Legacy and canonical names come from ssot.config.json and stay visible.
    expect(top.shape.join('\n')).toContain('UnifiedWebSocketManager');
    expect(report.totals).toMatchObject({ files: 7, hunks: 7, groups: 3 });
    expect(report.groups.reduce((n, g) => n + g.count, 0)).toBe(report.totals.hunks);
    expect(report.files.find((f) => f.path === 'src/legacy/obsolete.ts')).toMatchObject({ status: 'deleted', added: 0, removed: 1 });
    expect(report.files.find((f) => f.path === 'src/factory_user.ts')).toMatchObject({ status: 'modified', added: 1, removed: 1 });
    expect(report.attention.todos).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('lists TODO(ssot) markers with their new line numbers and the needs-review items', async () => {
    const { report } = await buildReview(fx.repo, fx.removeSha.slice(0, 9));
    expect(report.phase).toBe('remove-adapters');
    expect(report.attention.todos.map((t) => `${t.file}:${t.line}`)).toEqual(['src/agent.ts:2', 'src/agent.ts:7']);
    expect(report.attention.needsReview).toHaveLength(2);
    expect(report.figures.needsReview).toBe(2);
  });

  it('reports a phase that was rolled back', async () => {
    const clone = makeReviewRepo();
    try {
      git(clone.repo, 'revert', '--no-edit', 'HEAD');
      git(clone.repo, 'commit', '--amend', '-qm', 'ssot(rollback): revert remove-adapters\n\nSSOT-Rollback: remove-adapters\n');
      const { report } = await buildReview(clone.repo, 'remove-adapters');
      expect(report.rolledBackBy).toBe(git(clone.repo, 'rev-parse', 'HEAD').trim());
      expect(report.warnings.join()).toMatch(/rolled back/);
    } finally {
      rmSync(clone.repo, { recursive: true, force: true });
    }
  });

  it('refuses unknown phases and refs with errors that say what exists', async () => {
    await expect(buildReview(fx.repo, 'strangle')).rejects.toThrow(/phases committed: remove-adapters, rewrite-imports/);
    await expect(buildReview(fx.repo, 'no-such-ref')).rejects.toThrow(/neither a phase .* nor a commit/);
    await expect(buildReview(path.join(fx.repo, '..'), 'HEAD')).rejects.toThrow(/not a git work tree/);
  });
});

describe('renderings', () => {
  it('text: attention first, colour only when asked', async () => {
    const { report } = await buildReview(fx.repo, 'remove-adapters');
    const plain = formatReviewText(report, { color: false });
    expect(plain).not.toMatch(/\x1b\[/);
    expect(plain.indexOf('NEEDS ATTENTION FIRST (4)')).toBeGreaterThan(0);
    expect(plain.indexOf('NEEDS ATTENTION FIRST')).toBeLessThan(plain.indexOf('HUNK GROUPS'));
    expect(plain).toContain('src/agent.ts:7');
    expect(formatReviewText(report, { color: true })).toMatch(/\x1b\[32m/);
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
  });

  it('html: self-contained (no external fetch), groups and markers present', async () => {
    const result = await buildReview(fx.repo, 'rewrite-imports');
    const html = renderReviewHtml(result);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?https?:/i);
    expect(html).toContain('d2h-wrapper');
    expect(html.match(/class="card group"/g)).toHaveLength(3);
    expect(html).toContain('data-count="5"');
  });
});

describe('ssot-migrate review (the CLI, as a child process)', () => {
  it('--json prints the report; piped output has no colour; bad input exits non-zero', async () => {
    const json = await run(process.execPath, [bin, 'review', 'remove-adapters', '--repo', fx.repo, '--json'], { encoding: 'utf8' });
    const report = JSON.parse(json.stdout);
    expect(report.attention.todos).toHaveLength(2);
    const env = { ...process.env };
    delete env.FORCE_COLOR;
    delete env.NO_COLOR;
    const text = await run(process.execPath, [bin, 'review', 'rewrite-imports', '--repo', fx.repo], { encoding: 'utf8', env });
    expect(text.stdout).toContain('×5');
    expect(text.stdout).not.toMatch(/\x1b\[/);
    const bad = await run(process.execPath, [bin, 'review', 'strangle', '--repo', fx.repo], { encoding: 'utf8' }).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).toBe(1);
    expect((bad as { stderr: string }).stderr).toMatch(/no commit with "SSOT-Phase: strangle"/);
  });
});
