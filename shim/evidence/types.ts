/**
 * What a telemetry source hands the verdict, whatever it reads (JSONL files, Prometheus): use per
 * deprecation id in a window, and coverage — which runs were observed, when, with which ids
 * installed, and where observation is missing.
 */

/** A time window, epoch ms, inclusive. */
export interface EvidenceWindow {
  from: number;
  to: number;
}

export interface Span {
  start: number;
  end: number;
}

export interface CoveredSpan extends Span {
  /** Deprecation ids installed in the run during this span. */
  ids: readonly string[];
}

export interface CoverageGap extends Span {
  why: string;
}

/** How an observed run ended, as far as the source can tell. */
export type RunEnd =
  /** Still reporting at the window's end (its last report no older than its tolerance). */
  | { kind: 'running' }
  /** Said goodbye: a final coverage line (exit, a terminating signal, the runtime closed). */
  | { kind: 'clean'; at: number }
  /** Went silent without a goodbye (SIGKILL, crash) or was seen down: use after `at` may be lost. */
  | { kind: 'unclean'; at: number; why: string }
  /**
   * Stopped being observed without a sign of trouble, where the source cannot see goodbyes
   * (Prometheus: the target left service discovery). The use between its last observation and
   * its end — at most one reporting period — is not in the source.
   */
  | { kind: 'unobserved'; at: number; why: string };

/** One observed run: a process (files) or a scrape target (Prometheus). */
export interface CoverageInstance {
  /** Stable name, e.g. "web-1 pid 4242" or "app 127.0.0.1:9100". */
  key: string;
  /** What is known about it: service, version, host, pid, thread, job, instance. */
  labels: Record<string, string>;
  /** When it was observed, sorted by start. Consecutive spans further apart than `toleranceMs` leave a gap. */
  spans: CoveredSpan[];
  /** When it should have been observed and was not (a failed scrape, a missing line). */
  gaps: CoverageGap[];
  end: RunEnd;
  /** Its reporting period with slack: a silence up to this long is not a gap. */
  toleranceMs: number;
  /** Never observed with its ids (a target down the whole window): counts for every id. */
  idsUnknown?: boolean;
}

export interface UseEvidence {
  id: string;
  /** Entry-point uses in the window (Prometheus: an estimate from counter increases). */
  calls: number;
  methodCalls: number;
  /** Epoch ms of the latest use seen in the window. */
  lastSeen: number | undefined;
  /** Top call sites, where the source knows them (files). */
  sites: string[];
}

export interface Evidence {
  /** Where it came from, for people: "2 file(s) in .ssot/telemetry", "prometheus http://…". */
  source: string;
  window: EvidenceWindow;
  uses: UseEvidence[];
  instances: CoverageInstance[];
  /** Things a reader should know (malformed lines skipped, …). */
  notes: string[];
}

/** A place evidence comes from. */
export interface EvidenceSource {
  readonly description: string;
  collect(window: EvidenceWindow): Promise<Evidence>;
}
