/** `status`: each phase done / pending / blocked (and why), compliance, what is left, and per deprecation id the one "safe to delete" verdict. */
import { legacyUse, REMOVE_SHIM_TRAILERS, RepoSnapshot, type Verdict, type VerdictReport } from '../../codemods/index.js';
import { assertNoJournal } from './journal.js';
import type { PhaseEvidence } from './evidence.js';
import { checkedLedger, evidenceText, standsDone } from './ledger.js';
import { listSetAside, type SetAsideFolder } from './set-aside.js';

export interface PhaseState {
  phase: string;
  description: string;
  custom: boolean;
  /** partly-undone: committed, but some files it wrote no longer carry its change (a conflicted rebase, a hand edit); `run` re-applies it. */
  state: 'done' | 'partly-undone' | 'pending' | 'blocked' | 'not-selected';
  commit?: string;
  why?: string;
  /** Done or partly undone: whether the tree still carries the phase's change, checked against its report notes. */
  evidence?: PhaseEvidence;
}

export interface RepoStatus {
  phases: PhaseState[];
  compliance: number;
  legacyImportSites: number;
  legacyFiles: number;
  /**
   * Files that may hold legacy use (they name a legacy module or symbol) but do not parse: their
   * import sites are in no figure above (compliance, sites, files), so "0 sites" is not "no legacy
   * use" while one is listed. Absent when none.
   */
  unparsed?: { file: string; line: number; message: string }[];
  /** TODO(ssot) lines; `ids`: the deprecation ids the marker names a subject of (absent: it names none, and counts for every id). */
  todoMarkers: { file: string; line: number; text: string; ids?: readonly string[] }[];
  /** Legacy names and module paths still named in comments (block nothing), and the manifest's policy for them. */
  comments: { policy: 'report' | 'rewrite'; mentions: { file: string; line: number; text: string; names: string; protected?: string }[] };
  /** Per deprecation id: safe to delete?, its checks and (with telemetry) the telemetry verdict and its coverage — what remove-shim's gate decides on. */
  verdicts: Array<{ id: string } & Verdict>;
  /** The telemetry judged (source, window, notes); undefined without --telemetry. */
  telemetry?: Omit<VerdictReport, 'verdicts'>;
  /**
   * Set once remove-shim is committed: the legacy code is gone, so "safe to delete?" is answered
   * by that commit and the evidence its gate opened on (its trailers), not by a fresh verdict.
   */
  deleted?: { commit: string; telemetry?: string; withoutTelemetry?: string };
  /**
   * Folders in the git dir holding the untracked files a failed or interrupted phase/rollback
   * created (verify outputs git does not ignore) and its restore moved out of the tree, oldest
   * first, with their file count, size and age; absent when none. Kept until `clean --set-aside`.
   */
  setAside?: SetAsideFolder[];
}

export interface StatusOptions {
  /** JSONL files/folders or prometheus+http://HOST:PORT, as remove-shim's --telemetry. */
  telemetry?: string[];
  windowMs?: number;
  /** End of the window (epoch ms); default now. */
  now?: number;
}

/** Refuses (JournalPendingError) while a phase is unfinished: its tree's figures are not the repo's. */
export async function repoStatus(repo: string, opts: StatusOptions = {}): Promise<RepoStatus> {
  assertNoJournal(repo);
  const snapshot = await RepoSnapshot.open(repo);
  const ledger = await checkedLedger(repo);
  const done = ledger.done;
  const phases: PhaseState[] = snapshot.phases.all.map(({ phase, builtin }) => {
    const base = { phase: phase.name, description: phase.description, custom: !builtin };
    if (!snapshot.phases.isSelected(phase.name)) return { ...base, state: 'not-selected' };
    const rec = done.get(phase.name);
    const evidence = ledger.evidence.get(phase.name);
    if (rec && evidence?.verdict === 'partly-undone') return { ...base, state: 'partly-undone', commit: rec.commit.sha, evidence, why: `${evidenceText(evidence)} — \`ssot-migrate run ${phase.name}\` re-applies it` };
    const why = [rec?.folded, rec?.reapplied, evidence?.verdict !== 'verified' ? evidenceText(evidence) : ''].filter(Boolean).join('; ');
    if (rec) return { ...base, state: 'done', commit: rec.commit.sha, ...(evidence ? { evidence } : {}), ...(why ? { why } : {}) };
    const missing = snapshot.phases.selectedBefore(phase.name).filter((e) => !standsDone(ledger, e.phase.name)).map((e) => (done.has(e.phase.name) ? `${e.phase.name} (partly undone)` : e.phase.name));
    if (missing.length) return { ...base, state: 'blocked', why: `waits for ${missing.join(', ')}` };
    return { ...base, state: 'pending' };
  });
  const figures = await snapshot.figures();
  const unparsed = [...(await snapshot.scan()).files.values()]
    .filter((f) => f.report.status === 'failed' && f.report.error)
    .map((f) => ({ file: f.report.file, line: f.report.error!.line, message: f.report.error!.message }))
    .sort((a, b) => a.file.localeCompare(b.file));
  const sites = Object.values(figures.legacySitesByFile);
  const use = await legacyUse(snapshot, {
    ...(opts.telemetry?.length ? { telemetry: opts.telemetry } : {}),
    ...(opts.windowMs !== undefined ? { windowMs: opts.windowMs } : {}),
    ...(opts.now !== undefined ? { now: opts.now } : {}),
    noTelemetryHint: 'give status --telemetry FILES|prometheus+http://HOST:PORT',
  });
  const telemetry = use.telemetry ? (({ verdicts: _, ...rest }) => rest)(use.telemetry) : undefined;
  const removed = done.get('remove-shim')?.commit;
  const trailer = (key: string): string | undefined => removed?.trailers[key] || undefined;
  const gateTelemetry = trailer(REMOVE_SHIM_TRAILERS.telemetry);
  const gateReason = trailer(REMOVE_SHIM_TRAILERS.withoutTelemetry);
  const setAside = listSetAside(repo, opts.now);
  const deleted = removed ? { commit: removed.sha, ...(gateTelemetry ? { telemetry: gateTelemetry } : {}), ...(gateReason ? { withoutTelemetry: gateReason } : {}) } : undefined;
  return {
    phases,
    compliance: figures.compliance,
    legacyImportSites: sites.reduce((a, b) => a + b, 0),
    legacyFiles: sites.length,
    todoMarkers: use.markers.map((m) => ({ file: m.file, line: m.line, text: m.message, ...(m.ids ? { ids: m.ids } : {}) })),
    comments: { policy: snapshot.manifest.comments.legacyMentions, mentions: use.comments.map((m) => ({ file: m.file, line: m.line, text: m.text, names: m.names, ...(m.protected ? { protected: m.protected } : {}) })) },
    verdicts: [...use.verdicts].map(([id, v]) => ({ id, ...v })),
    ...(unparsed.length ? { unparsed } : {}),
    ...(telemetry ? { telemetry } : {}),
    ...(deleted ? { deleted } : {}),
    ...(setAside.length ? { setAside } : {}),
  };
}
