/**
 * The built-in phases, in the order they run: the one list of phase names. The runner, the
 * CLI's help and usage, `status`, the demo, the e2e test and the README's phase table read it;
 * a repo adds its own phases in the manifest (`customPhases`, placed by codemods/phase/order.ts).
 * Each entry is light: its plan loads the heavy parts (ts-morph) on use.
 */
import { consolidateTypesPhase } from '../consolidate-types/phase.js';
import { discoverPhase } from '../discover/phase.js';
import { moveDeclarationsPhase } from '../move-declarations/phase.js';
import { removeAdaptersPhase } from '../remove-adapters/phase.js';
import { removeShimPhase } from '../remove-shim/phase.js';
import { rewriteImportsPhase } from '../rewrite-imports/phase.js';
import { stranglePhase } from '../strangle/phase.js';
import type { Phase } from './types.js';

export const BUILTIN_PHASES: readonly Phase[] = [discoverPhase, moveDeclarationsPhase, stranglePhase, consolidateTypesPhase, rewriteImportsPhase, removeAdaptersPhase, removeShimPhase];

export function builtinPhase(name: string): Phase | undefined {
  return BUILTIN_PHASES.find((p) => p.name === name);
}

/** The README's phase table (generated; test/docs keeps the README equal to it). */
export function phasesMarkdown(phases: readonly Phase[] = BUILTIN_PHASES): string {
  const opts = (p: Phase) =>
    p.options.length
      ? p.options.map((o) => `\`${o.type === 'boolean' && o.default === true ? `--no-${o.name}` : `--${o.name}${o.type === 'boolean' ? '' : ` ${o.placeholder ?? 'VALUE'}`}`}\`: ${o.description}`).join('<br>')
      : '—';
  return ['| # | phase | what it does | options of `run <phase>` |', '|---|---|---|---|', ...phases.map((p, i) => `| ${i} | \`${p.name}\` | ${p.description} | ${opts(p)} |`)].join('\n');
}
