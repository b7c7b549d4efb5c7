/**
 * "Safe to delete", defined once (README: "Safe to delete"). A deprecation id is safe to delete
 * when every check passes or is skipped:
 *   imports  — no file imports any of its modules, in any form, through any alias;
 *   markers  — no TODO(ssot) marker is left in the repo's code (the humans' part is done);
 *   calls    — the shim's telemetry shows no use of it in the window (skipped without telemetry).
 * remove-shim's gate deletes only when every id is safe; the dashboard shows the same verdict per id.
 */
import type { ReviewItem } from '../phase/types.js';
import type { LegacyImport } from './imports.js';
import type { IdUse } from './telemetry.js';

export type CheckStatus = 'pass' | 'fail' | 'skipped';

export interface VerdictCheck {
  name: 'imports' | 'markers' | 'calls';
  status: CheckStatus;
  detail: string;
}

export interface Verdict {
  safe: boolean;
  checks: VerdictCheck[];
}

export interface LegacyEvidence {
  /** Undefined: the repo was not scanned (the check is skipped, with `unscannedReason`). */
  imports?: readonly LegacyImport[];
  markers?: readonly ReviewItem[];
  unscannedReason?: string;
  /** Use per id from telemetry; undefined: no telemetry given. */
  use?: ReadonlyMap<string, Pick<IdUse, 'calls' | 'lastSeen'>>;
  /** "7d", "30d", or undefined for every recorded use. */
  windowLabel?: string;
}

const where = (items: ReadonlyArray<{ file: string; line: number }>, n = 3) => `${items.slice(0, n).map((h) => `${h.file}:${h.line}`).join(', ')}${items.length > n ? ', …' : ''}`;

export function verdictFor(id: string, e: LegacyEvidence): Verdict {
  const checks: VerdictCheck[] = [];
  if (!e.imports) checks.push({ name: 'imports', status: e.unscannedReason?.startsWith('could not') ? 'fail' : 'skipped', detail: e.unscannedReason ?? 'repo not scanned' });
  else {
    const hits = e.imports.filter((h) => h.ids.includes(id));
    checks.push(hits.length === 0 ? { name: 'imports', status: 'pass', detail: 'no import of it left in the repo' } : { name: 'imports', status: 'fail', detail: `${hits.length} import(s) left: ${where(hits)}` });
  }
  if (!e.markers) checks.push({ name: 'markers', status: e.unscannedReason?.startsWith('could not') ? 'fail' : 'skipped', detail: e.unscannedReason ?? 'repo not scanned' });
  else checks.push(e.markers.length === 0 ? { name: 'markers', status: 'pass', detail: 'no TODO(ssot) marker left' } : { name: 'markers', status: 'fail', detail: `${e.markers.length} TODO(ssot) marker(s) left: ${where(e.markers)}` });
  const window = e.windowLabel ? `in the last ${e.windowLabel}` : 'in the telemetry';
  const use = e.use?.get(id);
  if (!e.use) checks.push({ name: 'calls', status: 'skipped', detail: 'no telemetry given' });
  else if (!use || use.calls === 0) checks.push({ name: 'calls', status: 'pass', detail: `zero calls ${window}` });
  else checks.push({ name: 'calls', status: 'fail', detail: `${use.calls} call(s) ${window}, last at ${use.lastSeen ?? '?'}` });
  return { safe: checks.every((c) => c.status !== 'fail'), checks };
}
