/**
 * The context type as code sees it: the declaration the repo's files import it from most (the
 * repo may keep its own compatible copy), else the canonical module's; its property names and
 * types decide which parameters the context covers (`userId: string` → `ctx.userId`).
 */
import { Node, type Project, type SourceFile, type Type } from 'ts-morph';
import type { SsotManifest } from '../../manifest/types.js';
import { inRepo } from './where.js';

export interface ContextType {
  name: string;
  /** The declaring file when it is in the repo (imports are written relative to it). */
  file?: SourceFile;
  /** The specifier to import it by when it is not in the repo (the canonical module). */
  specifier?: string;
  /** Property name → type. */
  props: Map<string, Type>;
}

export function findContextType(root: string, project: Project, manifest: SsotManifest): ContextType | undefined {
  const name = manifest.canonical.contextType;
  if (!name) return undefined;
  const uses = new Map<SourceFile, number>();
  for (const sf of project.getSourceFiles()) {
    if (!inRepo(root, sf)) continue;
    for (const imp of sf.getImportDeclarations()) {
      if (!imp.getNamedImports().some((s) => s.getName() === name)) continue;
      const target = imp.getModuleSpecifierSourceFile();
      if (target && inRepo(root, target) && declOf(target, name)) uses.set(target, (uses.get(target) ?? 0) + 1);
    }
  }
  const best = [...uses].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (best) return { name, file: best, props: propsOf(declOf(best, name)!) };
  // not declared in the repo: the canonical module's, when it exports it
  if (!manifest.canonical.exports.includes(name)) return undefined;
  const canonical = project.getSourceFiles().find((sf) => declOf(sf, name));
  const props = canonical ? propsOf(declOf(canonical, name)!) : new Map<string, Type>();
  return canonical && inRepo(root, canonical) ? { name, file: canonical, props } : { name, specifier: manifest.canonical.module, props };
}

function declOf(sf: SourceFile, name: string): Node | undefined {
  return sf.getInterface(name) ?? sf.getTypeAlias(name) ?? sf.getClass(name);
}

function propsOf(decl: Node): Map<string, Type> {
  const t = decl.getType();
  return new Map(t.getProperties().map((p) => [p.getName(), p.getTypeAtLocation(decl)]));
}
