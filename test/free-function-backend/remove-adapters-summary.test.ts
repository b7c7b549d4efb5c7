/**
 * remove-adapters' commit summary against the diff it writes, on the free-function backend
 * (app.ts) as the manifest's author finds it: every call is expanded to its template and the
 * legacy imports give way to the canonical one in the same files, so the summary must say both
 * counts. It used to say "import lists rewritten with them in 0 file(s)": it counted the files
 * whose written text differed from the phase's own plan, and the plan had already rewritten them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RepoSnapshot } from '../../codemods/snapshot/snapshot.js';
import { planRemoveAdapters } from '../../codemods/remove-adapters/index.js';
import { changeKinds } from '../../codemods/engine/change-kinds.js';
import { writeLinkedBackend } from '../helpers/git-repo.js';
import { APP_FILES, appManifest } from './app.js';

let repo = '';
afterAll(() => {
  if (repo) rmSync(repo, { recursive: true, force: true });
});

/** A file's import lines, read plainly from its text (independent of the phase's own reading). */
const importLines = (text: string): string[] => text.split(/\r?\n/).filter((l) => /^(import|export .* from)\b/.test(l));
const count = (summary: string, what: RegExp): number => Number(what.exec(summary)?.[1] ?? NaN);

describe('remove-adapters summary on the free-function backend', () => {
  it('counts the written files whose calls and whose import lists changed, as their diff shows', async () => {
    repo = mkdtempSync(path.join(tmpdir(), 'fn-summary-'));
    writeLinkedBackend(repo, { ...APP_FILES, 'ssot.config.json': `${JSON.stringify(appManifest(), null, 2)}\n` });
    const snapshot = await RepoSnapshot.open(repo);
    const plan = await planRemoveAdapters(snapshot);
    expect(plan.needsReview, JSON.stringify(plan.needsReview)).toEqual([]);
    const written = plan.writes.map((w) => ({ file: w.path, before: APP_FILES[w.path]!, after: String(w.content) }));
    expect(written.map((w) => w.file).sort()).toEqual(['src/notify.ts', 'src/server.ts']);
    const importsChanged = written.filter((w) => importLines(w.before).join('\n') !== importLines(w.after).join('\n')).length;
    const usesChanged = written.filter((w) => w.before.split('\n').filter((l) => !/^import\b/.test(l)).join('\n') !== w.after.split('\n').filter((l) => !/^import\b/.test(l)).join('\n')).length;
    expect([importsChanged, usesChanged]).toEqual([2, 2]);
    expect(count(plan.summary, /import lists rewritten with them in (\d+) file\(s\)/)).toBe(importsChanged);
    expect(count(plan.summary, /legacy uses rewritten from the manifest's functions\[\] in (\d+) file\(s\)/)).toBe(usesChanged);
    expect(plan.summary).not.toMatch(/split class member|threaded|markers only/);
  }, 120_000);
});

describe('changeKinds: what a change touches', () => {
  it('tells import lists from code, ignores comments and layout, and reads require() as an import', () => {
    const f = 'a.ts';
    expect(changeKinds(f, "import { a } from './m';\na();\n", "import { a } from './n';\na();\n")).toEqual({ imports: true, code: false });
    expect(changeKinds(f, "import { a } from './m';\na();\n", "import { a as b } from './m';\nb();\n")).toEqual({ imports: true, code: true });
    expect(changeKinds(f, "import { a } from './m';\na();\n", "import {a} from './m'\n// TODO(ssot): a\na();\n")).toEqual({ imports: false, code: false });
    expect(changeKinds(f, "export { a } from './m';\nexport const x = 1;\n", 'export const x = 1;\n')).toEqual({ imports: true, code: false });
    expect(changeKinds('a.js', "const { a, b } = require('./m');\na(b);\n", "const { a } = require('./m');\na(1);\n")).toEqual({ imports: true, code: true });
    expect(changeKinds(f, "import { a } from './m';\nfunction g() { a(); }\n", "import { a } from './m';\nfunction g() { a(1); }\n")).toEqual({ imports: false, code: true });
    expect(changeKinds(f, '\uFEFFimport { a } from "./m";\r\na();\r\n', "import { a } from './m';\na();\n")).toEqual({ imports: false, code: false });
  });
});
