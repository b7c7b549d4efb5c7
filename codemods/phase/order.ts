/**
 * The run order of one repo's phases: the registry's built-in phases, with the manifest's custom
 * phases placed after / before the phase they name, and the selection (`phases`, default all).
 * Names are checked here, against the registry, with the manifest field and a "did you mean".
 */
import { ManifestError, type ManifestIssue } from '../../manifest/index.js';
import type { SsotManifest } from '../../manifest/types.js';
import { customPhase } from './custom.js';
import { BUILTIN_PHASES } from './registry.js';
import type { Phase } from './types.js';

export interface PhaseEntry {
  phase: Phase;
  /** True for the registry's phases, false for the manifest's customPhases. */
  builtin: boolean;
}

export interface PhaseOrder {
  /** Every phase, in run order. */
  all: readonly PhaseEntry[];
  /** The phases this migration uses, in run order. */
  selected: readonly PhaseEntry[];
  get(name: string): PhaseEntry | undefined;
  isSelected(name: string): boolean;
  /** Selected phases that run before `name`. */
  selectedBefore(name: string): PhaseEntry[];
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

export function didYouMean(name: string, known: readonly string[]): string {
  const best = known.map((k) => ({ k, d: distance(name, k) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean "${best.k}"?)` : '';
}

export function resolvePhaseOrder(manifest: SsotManifest, file: string, builtins: readonly Phase[] = BUILTIN_PHASES): PhaseOrder {
  const issues: ManifestIssue[] = [];
  const order: PhaseEntry[] = builtins.map((phase) => ({ phase, builtin: true }));
  const builtinNames = new Set(builtins.map((p) => p.name));
  // Place custom phases until nothing more can be placed (one may name another as its anchor).
  let pending = manifest.customPhases.map((spec, i) => ({ spec, i }));
  pending = pending.filter(({ spec, i }) => {
    if (!builtinNames.has(spec.name)) return true;
    issues.push({ path: `customPhases[${i}].name`, message: `"${spec.name}" is a built-in phase; give the custom phase another name` });
    return false;
  });
  for (let progress = true; pending.length && progress; ) {
    progress = false;
    pending = pending.filter(({ spec }) => {
      const anchor = spec.after ?? spec.before!;
      const at = order.findIndex((e) => e.phase.name === anchor);
      if (at < 0) return true;
      // after X: past X and the custom phases already placed after X (declaration order)
      let pos = at + 1;
      if (spec.after !== undefined) while (pos < order.length && !order[pos]!.builtin && manifest.customPhases.find((c) => c.name === order[pos]!.phase.name)?.after === anchor) pos++;
      order.splice(spec.after !== undefined ? pos : at, 0, { phase: customPhase(spec), builtin: false });
      progress = true;
      return false;
    });
  }
  const names = order.map((e) => e.phase.name);
  const allNames = [...names, ...pending.map((p) => p.spec.name)];
  for (const { spec, i } of pending) {
    const field = spec.after !== undefined ? 'after' : 'before';
    const anchor = spec.after ?? spec.before!;
    const why = allNames.includes(anchor) ? `"${anchor}" is itself placed relative to a phase that cannot be placed (a cycle)` : `unknown phase "${anchor}"${didYouMean(anchor, allNames)}`;
    issues.push({ path: `customPhases[${i}].${field}`, message: why });
  }
  let selected = order;
  if (manifest.phases) {
    const picked: PhaseEntry[] = [];
    let last = -1;
    manifest.phases.forEach((name, i) => {
      const at = names.indexOf(name);
      if (at < 0) {
        issues.push({ path: `phases[${i}]`, message: `unknown phase "${name}"${didYouMean(name, allNames)}; phases are ${allNames.join(', ')}` });
        return;
      }
      if (at < last) issues.push({ path: `phases[${i}]`, message: `"${name}" is out of order; phases run in the order ${names.join(', ')}` });
      last = Math.max(last, at);
      picked.push(order[at]!);
    });
    selected = order.filter((e) => picked.includes(e));
  }
  if (issues.length) throw new ManifestError(file, issues);
  const byName = new Map(order.map((e) => [e.phase.name, e]));
  const chosen = new Set(selected.map((e) => e.phase.name));
  return {
    all: order,
    selected,
    get: (name) => byName.get(name),
    isSelected: (name) => chosen.has(name),
    selectedBefore: (name) => {
      const at = names.indexOf(name);
      return selected.filter((e) => names.indexOf(e.phase.name) < at);
    },
  };
}
