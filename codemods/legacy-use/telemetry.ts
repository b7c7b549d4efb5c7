/**
 * The runtime half of "is legacy still used?": per deprecation id, the shim's telemetry verdict
 * (*in use* / *unused* / *unknown*) with the coverage behind it, from JSONL files or a
 * Prometheus server (`prometheus+http://HOST:PORT`). The verdict logic is the shim's one
 * (shim/evidence/), which reads the telemetry format and loads no shim runtime.
 */
import { isAbsolute, join } from 'node:path';
import { formatDuration } from '../../shim/duration.js';
import { isPrometheusSpec, legacyVerdicts, openEvidenceSource, windowEnding } from '../../shim/evidence/index.js';
import type { IdVerdict, VerdictReport } from '../../shim/evidence/index.js';

export type { IdVerdict, VerdictReport };
export type TelemetryVerdict = IdVerdict['verdict'];

/** The window the gate judges when none is given. */
export const DEFAULT_WINDOW_MS = 30 * 86_400_000;

export interface TelemetryQuery {
  /** JSONL files or folders (relative to `repo` unless absolute), or one prometheus+http(s):// URL. */
  telemetry: readonly string[];
  /** Default DEFAULT_WINDOW_MS. */
  windowMs?: number;
  /** End of the window (epoch ms); default now. */
  now?: number;
}

/** Every id's verdict over the window ending at `now`, from the given source. */
export async function telemetryVerdicts(repo: string, ids: readonly string[], q: TelemetryQuery): Promise<VerdictReport> {
  const specs = q.telemetry.map((p) => (isPrometheusSpec(p) || isAbsolute(p) ? p : join(repo, p)));
  const source = openEvidenceSource(specs);
  return legacyVerdicts(source, ids, windowEnding(q.windowMs ?? DEFAULT_WINDOW_MS, q.now ?? Date.now()));
}

const pct = (r: number): string => `${(r * 100).toFixed(1)}%`;

/** One line: the verdict and the coverage behind it ("unused: zero calls; covered 100.0% of 30d by 2 run(s)"). */
export function describeTelemetryVerdict(v: IdVerdict, windowMs: number): string {
  const runs = v.coverage.instances.length;
  const cov = `covered ${pct(v.coverage.ratio)} of ${formatDuration(windowMs)} by ${runs} run(s)${v.coverage.evidenceUntil ? `, evidence until ${v.coverage.evidenceUntil}` : ''}`;
  if (v.verdict === 'in use') return `in use: ${v.reasons[0] ?? `${v.calls} call(s)`}${v.sites.length ? ` (top site ${v.sites[0]})` : ''}; ${cov}`;
  if (v.verdict === 'unused') return `unused: zero calls; ${cov}`;
  const more = v.reasons.length > 3 ? `; … ${v.reasons.length - 3} more` : '';
  return `unknown: ${v.reasons.slice(0, 3).join('; ')}${more}; ${cov}`;
}
