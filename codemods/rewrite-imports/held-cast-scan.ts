/**
 * The type-aware half of held-casts.ts (loaded only when a changed file casts to a legacy-imported
 * name): what each such cast's place holds, by remove-adapters' answer (engine/constructions.ts),
 * and whether the construction that fills it stays legacy once the phase's changes are written.
 */
import { Node, SyntaxKind, type Project, type SourceFile } from 'ts-morph';
import type { SsotManifest } from '../../manifest/types.js';
import { BootConstructions, bare, castReference } from '../engine/constructions.js';
import type { RewrittenFile } from './held-casts.js';

/**
 * File -> local name -> why: the legacy bindings that casts in `castFiles` name as the type of a
 * place still holding a legacy instance once `changes` are written. The project holds the
 * repo as it is (before the phase); a construction's file among `changes` is then read as
 * rewritten, and its instances count as legacy only if it still constructs their class.
 */
export function heldCastsOf(root: string, manifest: SsotManifest, project: Project, castFiles: readonly string[], constructionFiles: readonly string[], changes: readonly RewrittenFile[]): Record<string, Record<string, string>> {
  const sfOf = (f: string): SourceFile | undefined => project.getSourceFile(`${root}/${f}`);
  const constructions = new BootConstructions(root, manifest);
  constructions.scan([...new Set([...constructionFiles, ...castFiles])].flatMap((f) => sfOf(f) ?? []));
  const found: Array<{ file: string; name: string; place: string; line: number; held: ReturnType<BootConstructions['castOf']> & object }> = [];
  for (const file of castFiles) {
    for (const cast of sfOf(file)?.getDescendants() ?? []) {
      if (!Node.isAsExpression(cast) && !Node.isTypeAssertion(cast)) continue;
      const held = constructions.castOf(cast);
      const typeNode = castReference(cast);
      if (!held || !typeNode) continue;
      let name: Node = typeNode.getTypeName();
      while (Node.isQualifiedName(name)) name = name.getLeft();
      found.push({ file, name: name.getText(), place: bare(cast.getExpression()).getText(), line: cast.getStartLineNumber(), held });
    }
  }
  if (found.length === 0) return {};
  // what each rewritten construction file still constructs as legacy, read from its new text
  const stillLegacy = new Map<string, Set<string>>();
  const after = new Map(changes.map((c) => [c.file, c]));
  for (const file of new Set(found.flatMap((f) => f.held.map((h) => fileOfAt(h.at))))) {
    const change = after.get(file);
    const sf = change && sfOf(file);
    if (!sf) continue;
    sf.replaceWithText(change.after.replace(/^\uFEFF/, ''));
    stillLegacy.set(file, new Set(sf.getDescendantsOfKind(SyntaxKind.NewExpression).flatMap((n) => {
      const c = constructions.classOf(n);
      return c ? [`${c.module}#${c.class}`] : [];
    })));
  }
  const out: Record<string, Record<string, string>> = {};
  for (const f of found) {
    const legacy = f.held.find((h) => {
      return stillLegacy.get(fileOfAt(h.at))?.has(`${h.module}#${h.class}`) ?? true;
    });
    if (!legacy) continue;
    (out[f.file] ??= {})[f.name] ??= `\`${f.place}\` holds the legacy ${legacy.class} constructed at ${legacy.at}, which stays legacy in this phase: the cast at line ${f.line} keeps its legacy type (remove-adapters retypes it once a constructions[] entry rewrites that construction)`;
  }
  return out;
}

/** The file of a construction's `file:line`. */
function fileOfAt(at: string): string {
  return at.slice(0, at.lastIndexOf(':'));
}
