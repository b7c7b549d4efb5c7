import { describe, expect, it } from 'vitest';
import { ManifestError } from '../../manifest/index.js';
import type { CustomPhaseSpec } from '../../manifest/types.js';
import { withDefaults } from '../../test/helpers/fixture-manifest.js';
import { optionsHelp, resolvePhaseOptions } from './options.js';
import { resolvePhaseOrder } from './order.js';
import { BUILTIN_PHASES } from './registry.js';

const manifest = (phases?: string[], customPhases: CustomPhaseSpec[] = []) =>
  withDefaults({ canonical: { module: 'src/canonical', exports: ['X'], contextType: 'C', factory: 'X' }, ...(phases ? { phases } : {}), customPhases });
const names = (m: ReturnType<typeof manifest>) => resolvePhaseOrder(m, 'ssot.config.json').all.map((e) => e.phase.name);
const refusal = (m: ReturnType<typeof manifest>): string => {
  try {
    resolvePhaseOrder(m, 'ssot.config.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ManifestError);
    return (err as Error).message;
  }
  throw new Error('accepted');
};
const custom = (name: string, at: { after?: string; before?: string }): CustomPhaseSpec => ({ name, kind: 'jscodeshift', path: `t/${name}.js`, ...at });

describe('the phase registry and the run order', () => {
  it('has the built-in phases in their order, each with a one-line description', () => {
    expect(BUILTIN_PHASES.map((p) => p.name)).toEqual(['discover', 'move-declarations', 'strangle', 'consolidate-types', 'rewrite-imports', 'remove-adapters', 'remove-shim']);
    for (const p of BUILTIN_PHASES) expect(p.description).toMatch(/^[^\n]{20,200}$/);
  });

  it('selects every phase when the manifest names none, and keeps a given selection', () => {
    const all = resolvePhaseOrder(manifest(), 'ssot.config.json');
    expect(all.selected.map((e) => e.phase.name)).toEqual(BUILTIN_PHASES.map((p) => p.name));
    const some = resolvePhaseOrder(manifest(['discover', 'rewrite-imports']), 'ssot.config.json');
    expect(some.selected.map((e) => e.phase.name)).toEqual(['discover', 'rewrite-imports']);
    expect(some.selectedBefore('rewrite-imports').map((e) => e.phase.name)).toEqual(['discover']);
    expect(some.isSelected('strangle')).toBe(false);
  });

  it('places custom phases after / before the phase they name, in declaration order, also next to another custom phase', () => {
    const m = manifest(undefined, [custom('a', { after: 'rewrite-imports' }), custom('b', { after: 'rewrite-imports' }), custom('c', { before: 'discover' }), custom('d', { after: 'a' })]);
    expect(names(m)).toEqual(['c', 'discover', 'move-declarations', 'strangle', 'consolidate-types', 'rewrite-imports', 'a', 'd', 'b', 'remove-adapters', 'remove-shim']);
  });

  it('refuses unknown names with the field and a did-you-mean, a built-in name, a cycle, and an out-of-order selection', () => {
    expect(refusal(manifest(['discover', 'rewrite-import']))).toContain('ssot.config.json: phases[1]: unknown phase "rewrite-import" (did you mean "rewrite-imports"?)');
    expect(refusal(manifest(undefined, [custom('x', { after: 'strangel' })]))).toContain('customPhases[0].after: unknown phase "strangel" (did you mean "strangle"?)');
    expect(refusal(manifest(undefined, [custom('discover', { after: 'strangle' })]))).toContain('customPhases[0].name: "discover" is a built-in phase');
    expect(refusal(manifest(undefined, [custom('x', { after: 'y' }), custom('y', { after: 'x' })]))).toMatch(/customPhases\[0\]\.after: "y" is itself placed relative to a phase that cannot be placed/);
    expect(refusal(manifest(['rewrite-imports', 'discover']))).toContain('phases[1]: "discover" is out of order');
  });
});

describe('phase options', () => {
  const removeShim = BUILTIN_PHASES.find((p) => p.name === 'remove-shim')!;
  const rewrite = BUILTIN_PHASES.find((p) => p.name === 'rewrite-imports')!;

  it('are validated, defaulted and keyed camelCase; unknown ones are refused naming the phase', () => {
    expect(resolvePhaseOptions(removeShim, { telemetry: 'a.jsonl,b', window: '7d' })).toEqual({ telemetry: ['a.jsonl', 'b'], window: 7 * 86_400_000 });
    expect(resolvePhaseOptions(rewrite, {})).toEqual({ typeGuard: true });
    expect(resolvePhaseOptions(rewrite, { 'type-guard': false, workers: '2' })).toEqual({ typeGuard: false, workers: 2 });
    expect(() => resolvePhaseOptions(removeShim, { window: '0' })).toThrow(/remove-shim: option --window: a duration must be greater than 0/);
    expect(() => resolvePhaseOptions(rewrite, { workers: -1 })).toThrow(/--workers: expected a whole number/);
    expect(() => resolvePhaseOptions(rewrite, { windw: '1d' })).toThrow(/rewrite-imports: unknown option "windw" \(options of rewrite-imports: --workers, --type-guard\)/);
  });

  it('are shown in --help, a default-on switch as --no-…', () => {
    const help = optionsHelp(rewrite).join('\n');
    expect(help).toContain('--workers N');
    expect(help).toContain('--no-type-guard');
    expect(optionsHelp(removeShim).join('\n')).toMatch(/--window 30d +the window the telemetry must cover/);
  });
});
