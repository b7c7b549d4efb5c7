import { posix } from 'node:path';
import type { LegacyTarget } from '../engine/context.js';
import { moduleIdOf } from '../engine/module-id.js';
import type { PhaseRuntime } from '../engine/transform.js';
import { contextFacts } from './facts.js';

export type Target = { kind: 'canonical' } | { kind: 'legacy'; legacy: LegacyTarget };

/** Classifies specifiers of one file as reaching a legacy module, the canonical one, or neither. */
export class TargetClassifier {
  private readonly legacyById: ReadonlyMap<string, LegacyTarget>;
  constructor(
    private readonly rt: PhaseRuntime,
    private readonly file: string,
  ) {
    this.legacyById = contextFacts(rt.ctx).legacyById;
  }

  private lastSpecifier?: string;
  private lastTarget: Target | undefined;

  /** The target of a specifier of this file (the last one's answer kept: a file names the same module in a row). */
  classify(specifier: string): Target | undefined {
    if (specifier !== this.lastSpecifier) {
      this.lastTarget = this.resolveTarget(specifier);
      this.lastSpecifier = specifier;
    }
    return this.lastTarget;
  }

  private resolveTarget(specifier: string): Target | undefined {
    const c = this.rt.ctx.canonical;
    if (c.specifier !== undefined && specifier === c.specifier) return { kind: 'canonical' };
    const id = this.rt.resolver.resolve(specifier, this.file);
    if (id === undefined) return undefined;
    if (c.moduleId !== undefined && id === c.moduleId) return { kind: 'canonical' };
    const legacy = this.legacyById.get(id);
    return legacy ? { kind: 'legacy', legacy } : undefined;
  }

  /** The file is part of the canonical module (never make it import itself). */
  isCanonicalOwnFile(): boolean {
    const cid = this.rt.ctx.canonical.moduleId;
    if (cid === undefined) return false;
    const id = moduleIdOf(this.file);
    if (id === cid) return true;
    return cid.endsWith('/index') && this.file.startsWith(cid.slice(0, -'index'.length));
  }

  legacyOfFile(): LegacyTarget | undefined {
    return this.legacyById.get(moduleIdOf(this.file));
  }

  /**
   * The canonical specifier as written from this file: the package specifier verbatim, or a
   * relative path that follows the style of the specifier it replaces (`.js` suffix or none).
   */
  canonicalSpecifier(replaced: string): string {
    const c = this.rt.ctx.canonical;
    if (c.specifier !== undefined) return c.specifier;
    let rel = posix.relative(posix.dirname(this.file), c.moduleId!);
    if (!rel.startsWith('.')) rel = `./${rel}`;
    const ext = /\.(m?js|ts|tsx|mts)$/.exec(replaced)?.[0];
    if (ext !== undefined) return `${rel}${ext === '.tsx' ? '.js' : ext}`;
    return rel.endsWith('/index') ? rel.slice(0, -'/index'.length) : rel;
  }
}
