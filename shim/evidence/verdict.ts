/**
 * The one answer to "may the strangled code of this deprecation id be deleted?", from any source:
 *
 * - **in use**: a call (or a method call on an instance from a legacy entry point) in the window.
 * - **unused**: no call, and runs with the id installed were observed over the *whole* window:
 *   their covered spans leave no hole in it, none of them had a gap (a failed scrape, a missing
 *   line) and none went silent without a goodbye inside it.
 * - **unknown**: no call, but not enough coverage: a hole, a gap, a run that died silently, or no
 *   run with the id installed reported at all. Missing data never reads as "no use".
 *
 * Only *unused* lets remove-shim delete. Each verdict carries the coverage behind it.
 */
import type { CoverageGap, CoverageInstance, Evidence, EvidenceWindow, Span, UseEvidence } from './types.js';

export type Verdict = 'in use' | 'unused' | 'unknown';

export interface InstanceCoverage {
  key: string;
  labels: Record<string, string>;
  /** Observed spans with the id installed, clipped to the window. */
  covered: Span[];
  end: CoverageInstance['end'];
}

export interface IdVerdict {
  id: string;
  verdict: Verdict;
  /** Why not *unused* (for *unknown*) or the use (for *in use*); empty for *unused*. */
  reasons: string[];
  /** Known limits that do not change the verdict (Prometheus: targets that stopped between scrapes). */
  caveats: string[];
  calls: number;
  methodCalls: number;
  lastSeen: string | undefined;
  sites: string[];
  coverage: {
    /** Runs with the id installed that were observed in (or should have been observed in) the window. */
    instances: InstanceCoverage[];
    /** Share of the window covered by at least one of them, 0..1. */
    ratio: number;
    /** Parts of the window nobody with the id installed covered, and per-run gaps. */
    holes: CoverageGap[];
    /** The newest observation among them (ISO). */
    evidenceUntil: string | undefined;
  };
}

export interface VerdictReport {
  source: string;
  window: { from: string; to: string; ms: number };
  verdicts: IdVerdict[];
  notes: string[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Sorted, merged union of spans. */
export function unionSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/** The parts of `window` not in `covered` (which must be a union: sorted, disjoint). */
export function holesIn(window: Span, covered: readonly Span[]): Span[] {
  const out: Span[] = [];
  let at = window.start;
  for (const s of covered) {
    if (s.end <= at) continue;
    if (s.start >= window.end) break;
    if (s.start > at) out.push({ start: at, end: s.start });
    at = Math.max(at, s.end);
  }
  if (at < window.end) out.push({ start: at, end: window.end });
  return out;
}

const overlaps = (a: Span, w: EvidenceWindow): boolean => a.end >= w.from && a.start <= w.to;

/** Spans of one run during which `id` was installed, bridging silences up to its tolerance. */
function idSpans(inst: CoverageInstance, id: string): { spans: Span[]; gaps: CoverageGap[] } {
  const mine = inst.spans.filter((s) => inst.idsUnknown || s.ids.includes(id));
  const spans: Span[] = [];
  const gaps: CoverageGap[] = [];
  for (const s of mine) {
    const last = spans[spans.length - 1];
    if (last && s.start - last.end <= inst.toleranceMs) last.end = Math.max(last.end, s.end);
    else {
      const known = (g: CoverageGap): boolean => last !== undefined && g.start <= s.start && g.end >= last.end;
      if (last && !inst.gaps.some(known)) gaps.push({ start: last.end, end: s.start, why: `${inst.key} not observed` });
      spans.push({ start: s.start, end: s.end });
    }
  }
  return { spans, gaps };
}

function judgeId(id: string, use: UseEvidence | undefined, evidence: Evidence): IdVerdict {
  const { window } = evidence;
  const reasons: string[] = [];
  const caveats: string[] = [];
  const holes: CoverageGap[] = [];
  const instances: InstanceCoverage[] = [];
  const covered: Span[] = [];
  let evidenceUntil: number | undefined;

  for (const inst of evidence.instances) {
    const installedHere = inst.idsUnknown || inst.spans.some((s) => s.ids.includes(id));
    if (!installedHere) continue;
    const { spans, gaps } = idSpans(inst, id);
    // A run still reporting covers up to the window's end: its current period is in flight.
    if (inst.end.kind === 'running' && spans.length > 0) {
      const last = spans[spans.length - 1]!;
      if (window.to - last.end <= inst.toleranceMs) last.end = Math.max(last.end, window.to);
    }
    const inWindow = spans.some((s) => overlaps(s, window));
    const ownGaps = [...inst.gaps, ...gaps].filter((g) => overlaps(g, window));
    const endInWindow = (inst.end.kind === 'unclean' || inst.end.kind === 'unobserved') && inst.end.at >= window.from - inst.toleranceMs && inst.end.at <= window.to;
    if (!inWindow && ownGaps.length === 0 && !endInWindow) continue;
    instances.push({
      key: inst.key,
      labels: inst.labels,
      covered: spans.filter((s) => overlaps(s, window)).map((s) => ({ start: Math.max(s.start, window.from), end: Math.min(s.end, window.to) })),
      end: inst.end,
    });
    covered.push(...spans);
    for (const s of spans) if (s.start <= window.to) evidenceUntil = Math.max(evidenceUntil ?? 0, Math.min(s.end, window.to));
    for (const g of ownGaps) {
      holes.push(g);
      reasons.push(`${g.why}: ${iso(Math.max(g.start, window.from))} to ${iso(Math.min(g.end, window.to))}`);
    }
    if (endInWindow && inst.end.kind === 'unclean') reasons.push(`${inst.key} ${inst.end.why} (${iso(inst.end.at)}): its use after that may be lost`);
    if (endInWindow && inst.end.kind === 'unobserved') caveats.push(`${inst.key} ${inst.end.why} (${iso(inst.end.at)})`);
  }

  const union = unionSpans(covered);
  const uncovered = holesIn({ start: window.from, end: window.to }, union);
  const windowMs = Math.max(1, window.to - window.from);
  const ratio = 1 - uncovered.reduce((n, h) => n + (h.end - h.start), 0) / windowMs;
  if (instances.length > 0) {
    for (const h of uncovered) {
      holes.push({ ...h, why: 'no run with the id installed observed' });
      reasons.push(`no run with ${id} installed observed from ${iso(h.start)} to ${iso(h.end)}`);
    }
  } else {
    reasons.push(`no run with ${id} installed reported in the window`);
  }

  const calls = use?.calls ?? 0;
  const methodCalls = use?.methodCalls ?? 0;
  let verdict: Verdict;
  if (calls + methodCalls > 0) {
    verdict = 'in use';
    reasons.splice(0, reasons.length, `${calls} call(s) and ${methodCalls} method call(s) in the window${use?.lastSeen ? `, last ${iso(use.lastSeen)}` : ''}`);
  } else {
    verdict = reasons.length > 0 ? 'unknown' : 'unused';
  }
  return {
    id,
    verdict,
    reasons,
    caveats,
    calls,
    methodCalls,
    lastSeen: use?.lastSeen !== undefined ? iso(use.lastSeen) : undefined,
    sites: use?.sites ?? [],
    coverage: {
      instances,
      ratio: Math.max(0, Math.min(1, ratio)),
      holes: holes.sort((a, b) => a.start - b.start),
      evidenceUntil: evidenceUntil !== undefined ? iso(evidenceUntil) : undefined,
    },
  };
}

/** The verdict for each id, from one source's evidence. Pure. */
export function judge(evidence: Evidence, ids: readonly string[]): VerdictReport {
  const uses = new Map(evidence.uses.map((u) => [u.id, u]));
  return {
    source: evidence.source,
    window: { from: iso(evidence.window.from), to: iso(evidence.window.to), ms: evidence.window.to - evidence.window.from },
    verdicts: [...new Set(ids)].sort().map((id) => judgeId(id, uses.get(id), evidence)),
    notes: evidence.notes,
  };
}

/** Human lines: one per id, then its reasons and coverage. */
export function formatVerdicts(report: VerdictReport): string {
  const out = [`telemetry: ${report.source}, window ${report.window.from} to ${report.window.to}`];
  for (const n of report.notes) out.push(`  note: ${n}`);
  for (const v of report.verdicts) {
    const runs = v.coverage.instances.length;
    out.push(
      `${v.id}  ${v.verdict.padEnd(7)}  ${v.calls} call(s), ${v.methodCalls} method call(s); covered ${(v.coverage.ratio * 100).toFixed(1)}% of the window by ${runs} run(s)` +
        (v.coverage.evidenceUntil ? `, evidence until ${v.coverage.evidenceUntil}` : ''),
    );
    for (const r of v.reasons) out.push(`    ${r}`);
    for (const c of v.caveats) out.push(`    caveat: ${c}`);
    for (const s of v.sites.slice(0, 5)) out.push(`    site: ${s}`);
  }
  return out.join('\n') + '\n';
}
