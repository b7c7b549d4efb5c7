/** The built-in phases' declared options as CLI flags: `--telemetry`, `--window`, `--no-type-guard`, … */
import { BUILTIN_PHASES, camelCase, type Phase, type PhaseOptionSpec } from '../../codemods/index.js';
import type { OptionsConfig } from './args.js';

const flagOf = (s: PhaseOptionSpec) => (s.type === 'boolean' && s.default === true ? `no-${s.name}` : s.name);

export function phaseFlags(phases: readonly Phase[] = BUILTIN_PHASES): OptionsConfig {
  const out: OptionsConfig = {};
  for (const p of phases)
    for (const s of p.options) out[flagOf(s)] = s.type === 'boolean' ? { type: 'boolean' } : s.type === 'string[]' ? { type: 'string', multiple: true } : { type: 'string' };
  return out;
}

/** Parsed flag values → raw option values keyed like the specs (camelCase), for resolvePhaseOptions. */
export function phaseOptionValues(values: Record<string, unknown>, phases: readonly Phase[] = BUILTIN_PHASES): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of phases)
    for (const s of p.options) {
      const v = values[flagOf(s)];
      if (v === undefined) continue;
      out[camelCase(s.name)] = s.type === 'boolean' && s.default === true ? v !== true : v;
    }
  return out;
}

/** Which phases declare a flag (for the usage error when one is given to a phase that does not). */
export function phasesWithOption(key: string, phases: readonly Phase[] = BUILTIN_PHASES): string[] {
  return phases.filter((p) => p.options.some((s) => camelCase(s.name) === key)).map((p) => p.name);
}
