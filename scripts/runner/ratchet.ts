/**
 * `check`: the ratchet for the target's CI. Fails when legacy import sites rise above the
 * committed baseline or appear in a file that had none; `--update` only ever lowers it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RepoSnapshot } from '../../codemods/index.js';
import { assertNoJournal } from './journal.js';
import { committedPhases } from './ledger.js';

export interface RatchetBaseline {
  total: number;
  byFile: Record<string, number>;
}

export interface RatchetResult {
  ok: boolean;
  total: number;
  baselineTotal: number;
  /** Files that gained legacy import sites, with before → after. */
  regressions: { file: string; before: number; after: number }[];
  updated: boolean;
  baselineFile: string;
  message: string;
}

export const DEFAULT_BASELINE = '.ssot/ratchet.json';

export async function checkRatchet(repo: string, opts: { baseline?: string; update?: boolean } = {}): Promise<RatchetResult> {
  assertNoJournal(repo);
  const snapshot = await RepoSnapshot.open(repo);
  snapshot.checkManifest({ legacyRemoved: (await committedPhases(repo)).has('remove-shim') });
  const manifest = snapshot.manifest;
  const baselineFile = path.resolve(repo, opts.baseline ?? DEFAULT_BASELINE);
  // legacy import sites per file, from the same scan as the phases' figures
  const now = await snapshot.figures();
  const total = Object.values(now.legacySitesByFile).reduce((a, b) => a + b, 0);
  const current: RatchetBaseline = { total, byFile: now.legacySitesByFile };

  if (!existsSync(baselineFile)) {
    write(baselineFile, current);
    return { ok: true, total, baselineTotal: total, regressions: [], updated: true, baselineFile, message: `no baseline yet: wrote ${total} legacy import site(s) to ${baselineFile}; commit it` };
  }
  const base = JSON.parse(readFileSync(baselineFile, 'utf8')) as RatchetBaseline;
  const regressions = Object.entries(current.byFile)
    .filter(([file, n]) => n > (base.byFile[file] ?? 0))
    .map(([file, after]) => ({ file, before: base.byFile[file] ?? 0, after }));
  const newFiles = regressions.filter((r) => r.before === 0);
  const ok = total <= base.total && newFiles.length === 0;
  let updated = false;
  if (ok && opts.update && total < base.total) {
    write(baselineFile, current);
    updated = true;
  }
  const message = ok
    ? `ok: ${total} legacy import site(s), baseline ${base.total}${updated ? ` (baseline lowered to ${total})` : total < base.total ? ' (run with --update to lower the baseline)' : ''}`
    : `legacy imports rose: ${total} site(s) against a baseline of ${base.total}${newFiles.length ? `; new in ${newFiles.map((r) => `${r.file} (${r.after})`).join(', ')}` : ''}. Import from the canonical module instead (${manifest.canonical.module}).`;
  return { ok, total, baselineTotal: base.total, regressions, updated, baselineFile, message };
}

function write(file: string, b: RatchetBaseline): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const sorted = Object.fromEntries(Object.entries(b.byFile).sort(([a], [c]) => a.localeCompare(c)));
  writeFileSync(file, `${JSON.stringify({ total: b.total, byFile: sorted }, null, 2)}\n`);
}
