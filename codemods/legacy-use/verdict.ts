/**
 * "Safe to delete", defined once (README: "Safe to delete"). A deprecation id is safe to delete
 * when every check passes or is skipped:
 *   imports  — no file imports any of its modules, in any form, through any alias;
 *   markers  — no TODO(ssot) marker about it is left in the repo's code (the humans' part is
 *              done): one naming a class, member or function counts for the ids owning it
 *              (markers.ts markerIds), one naming nothing for every id;
 *   scripts  — none of its legacy module files is a global script declaring something (strangle
 *              refuses those, strangle/refusal.ts): code uses such a file's globals by name, with
 *              no import the imports check could count (the check appears only when one exists);
 *   calls    — the shim's telemetry verdict for it is *unused*: processes with its strangled code
 *              loaded covered the whole window and recorded no call (shim/evidence). *in use* and
 *              *unknown* (gaps, a run that died silently, nobody reporting) fail, and so does no
 *              telemetry at all — unless a person said why there is none (`--without-telemetry`),
 *              which skips the check and is recorded with the commit.
 * remove-shim's gate deletes only when every id is safe; the dashboard, `status` and `review`
 * show the same verdict per id, with the coverage behind it.
 */
import { markerConcerns, type MarkerItem } from './markers.js';
import type { LegacyImport } from './imports.js';
import { describeTelemetryVerdict, type IdVerdict } from './telemetry.js';

export type CheckStatus = 'pass' | 'fail' | 'skipped';

export interface VerdictCheck {
  name: 'imports' | 'markers' | 'scripts' | 'calls';
  status: CheckStatus;
  detail: string;
}

export interface Verdict {
  safe: boolean;
  checks: VerdictCheck[];
  /** The telemetry verdict behind the calls check, with its coverage (undefined without telemetry). */
  telemetry?: IdVerdict;
}

export interface LegacyEvidence {
  /** Undefined: the repo was not scanned (the check is skipped, with `unscannedReason`). */
  imports?: readonly LegacyImport[];
  markers?: readonly MarkerItem[];
  /** Legacy module files that are global scripts declaring something, with the ids owning each (legacy-use globalScripts). */
  globalScripts?: ReadonlyArray<{ file: string; line: number; ids: readonly string[] }>;
  unscannedReason?: string;
  /** Telemetry verdict per id (shim/evidence); undefined: no telemetry given. */
  telemetry?: ReadonlyMap<string, IdVerdict>;
  /** The window the telemetry verdicts judged. */
  windowMs?: number;
  /** Why there is no telemetry, as a person gave it: the calls check is skipped, saying so. */
  withoutTelemetry?: string;
  /** What to do about missing telemetry, for the failing check's detail. */
  noTelemetryHint?: string;
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
  else {
    const mine = e.markers.filter((m) => markerConcerns(m, id));
    const unnamed = mine.filter((m) => m.ids === undefined).length;
    // a marker naming no subject (written before markers named one, or by a person) may be about any id
    const note = unnamed ? ` (${unnamed === mine.length ? (unnamed === 1 ? 'it names' : 'they name') : `${unnamed} name`} no class or function: counted for every id)` : '';
    checks.push(mine.length === 0 ? { name: 'markers', status: 'pass', detail: e.markers.length ? `no TODO(ssot) marker about it left (${e.markers.length} about other ids)` : 'no TODO(ssot) marker left' } : { name: 'markers', status: 'fail', detail: `${mine.length} TODO(ssot) marker(s) left: ${where(mine)}${note}` });
  }
  const scripts = (e.globalScripts ?? []).filter((s) => s.ids.includes(id));
  if (scripts.length) checks.push({ name: 'scripts', status: 'fail', detail: `${scripts.length} of its legacy module(s) ${scripts.length === 1 ? 'is a global script' : 'are global scripts'} (no import or export) whose globals code may use by name, with no import to count: ${where(scripts)}; make ${scripts.length === 1 ? 'it a module' : 'them modules'} (strangle refuses ${scripts.length === 1 ? 'it' : 'them'} as written)` });
  const t = e.telemetry?.get(id);
  if (t) checks.push({ name: 'calls', status: t.verdict === 'unused' ? 'pass' : 'fail', detail: describeTelemetryVerdict(t, e.windowMs ?? 0) });
  else if (e.withoutTelemetry !== undefined) checks.push({ name: 'calls', status: 'skipped', detail: `no telemetry: ${e.withoutTelemetry}` });
  else checks.push({ name: 'calls', status: 'fail', detail: `no telemetry given: unknown whether anything still calls it${e.noTelemetryHint ? ` (${e.noTelemetryHint})` : ''}` });
  return { safe: checks.every((c) => c.status !== 'fail'), checks, ...(t ? { telemetry: t } : {}) };
}
