/**
 * Which optional manifest fields the selected phases need: each phase declares its own
 * (`Phase.manifestFields`); a missing one is reported with the field and the phase that needs it
 * ("canonical.factory is required by phase strangle"). A pure module move
 * (`phases: ["discover", "rewrite-imports"]`) needs only canonical.module, canonical.exports,
 * legacy and verify.
 */
import type { ManifestIssue } from '../../manifest/index.js';
import type { SsotManifest } from '../../manifest/types.js';
import type { OptionalManifestField, Phase } from './types.js';

const FIELD: Record<OptionalManifestField, (m: SsotManifest) => unknown> = {
  'canonical.contextType': (m) => m.canonical.contextType,
  'canonical.factory': (m) => m.canonical.factory,
  factory: (m) => m.factory,
};

/** One issue per (missing field, phase needing it), in phase order. */
export function missingPhaseFields(manifest: SsotManifest, phases: readonly Phase[]): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  for (const phase of phases)
    for (const need of phase.manifestFields ?? []) {
      if (need.onlyWith !== undefined && FIELD[need.onlyWith](manifest) === undefined) continue;
      if (FIELD[need.field](manifest) !== undefined) continue;
      issues.push({ path: need.field, message: `${need.field} is required by phase ${phase.name}${need.onlyWith ? ` (because ${need.onlyWith} is given)` : ''}` });
    }
  return issues;
}

/** The field's value for a phase that declared it (its presence was checked before the phase ran). */
export function neededField(manifest: SsotManifest, field: 'canonical.contextType' | 'canonical.factory', phase: string): string {
  const value = FIELD[field](manifest);
  if (typeof value !== 'string') throw new Error(`${field} is required by phase ${phase}`);
  return value;
}
