/**
 * What the rewrite reads off the phase context the same way for every file: computed once per
 * context (one per thread) instead of once per file or per binding, which cost a Set of the
 * canonical exports, a Map of the legacy modules and a walk of a symbol map each time
 * (~10% of the per-file rewrite on the bench's 20,000 files). The context never changes once built.
 */
import type { LegacyTarget, PhaseContext } from '../engine/context.js';

export interface ContextFacts {
  legacyById: ReadonlyMap<string, LegacyTarget>;
  /** canonical.exports as a set (empty: not known). */
  canonicalExports: ReadonlySet<string>;
  /** Names some legacy module exports per the manifest's symbol maps (`default` is no name). */
  legacyNames: ReadonlySet<string>;
  /**
   * ctx.scheduledDeclarations as a map, undefined when it schedules none (the usual case): a
   * lookup of each file's path in the record was ~1% of the rewrite (a keyed load of a
   * non-internalized string that misses).
   */
  scheduledDeclarations: ReadonlyMap<string, readonly string[]> | undefined;
}

const facts = new WeakMap<PhaseContext, ContextFacts>();

export function contextFacts(ctx: PhaseContext): ContextFacts {
  let f = facts.get(ctx);
  if (f === undefined) {
    const legacyNames = new Set<string>();
    for (const l of ctx.legacy) for (const n of Object.keys(l.symbols)) if (n !== 'default') legacyNames.add(n);
    const scheduled = Object.entries(ctx.scheduledDeclarations ?? {});
    f = {
      legacyById: new Map(ctx.legacy.map((l) => [l.moduleId, l])),
      canonicalExports: new Set(ctx.canonical.exports),
      legacyNames,
      scheduledDeclarations: scheduled.length > 0 ? new Map(scheduled) : undefined,
    };
    facts.set(ctx, f);
  }
  return f;
}

const renaming = new WeakMap<LegacyTarget, boolean>();

/** The legacy module's symbol map gives some name another canonical name. */
export function mapRenames(legacy: LegacyTarget): boolean {
  let r = renaming.get(legacy);
  if (r === undefined) renaming.set(legacy, (r = Object.entries(legacy.symbols).some(([a, b]) => a !== b)));
  return r;
}

const exportsKnown = new WeakMap<LegacyTarget, boolean>();

/** The legacy module's exports are known (from its source). */
export function knowsExports(legacy: LegacyTarget): boolean {
  let k = exportsKnown.get(legacy);
  if (k === undefined) exportsKnown.set(legacy, (k = Object.keys(legacy.exports).length > 0));
  return k;
}
