/**
 * Legacy contracts: an interface declared in a legacy module (manifest `legacy[].module`, or its
 * frozen `*.legacy.ts` body) that a class `implements`. It goes away with remove-shim, so a
 * method signature it fixes is no boundary: threading changes the method, and the class stops
 * claiming the contract (its `implements` entry, and an import only that entry used, are removed).
 */
import { Node, ts, type ExpressionWithTypeArguments, type SourceFile } from 'ts-morph';
import { referencesOf } from '../engine/references.js';
import type { SsotManifest } from '../../manifest/types.js';
import { normalizeId, withoutIndex } from '../engine/module-id.js';
import { statementLineRange } from '../engine/text.js';
import type { Edit } from '../engine/types.js';
import type { Fn } from './functions.js';
import { inRepo, moduleOf } from './where.js';

/** Whether a file is a legacy module of the manifest (its facade, or its frozen body). */
export function legacyFileTest(root: string, manifest: SsotManifest): (sf: SourceFile) => boolean {
  const ids = new Set(manifest.legacy.map((l) => withoutIndex(normalizeId(l.module))));
  return (sf) => inRepo(root, sf) && ids.has(withoutIndex(moduleOf(root, sf).replace(/\.legacy$/, '')));
}

/** The `implements` entries of a method's class whose interface declares the method and lives in a legacy module. */
export function legacyContracts(fn: Fn, isLegacy: (sf: SourceFile) => boolean): ExpressionWithTypeArguments[] {
  if (!Node.isMethodDeclaration(fn)) return [];
  const cls = fn.getParent();
  if (!Node.isClassDeclaration(cls) && !Node.isClassExpression(cls)) return [];
  return cls.getImplements().filter((i) => {
    const decl = i.getType().getProperty(fn.getName())?.getDeclarations()[0];
    return decl !== undefined && Node.isInterfaceDeclaration(decl.getParent()) && isLegacy(decl.getSourceFile());
  });
}

/** Whether a reference is the member's own declaration inside one of the contracts (not a use). */
export function isContractMember(r: Node, contracts: readonly ExpressionWithTypeArguments[]): boolean {
  const p = r.getParent();
  if (!p || !(Node.isMethodSignature(p) || Node.isPropertySignature(p))) return false;
  const owner = p.getParent();
  return contracts.some((c) => c.getType().getSymbol()?.getDeclarations().includes(owner as Node) === true);
}

/**
 * Whether a reference is another class's declaration of the same member under the same legacy
 * contract (find-references joins implementations through the interface): a sibling, not a use.
 */
export function isSiblingImplementation(r: Node, contracts: readonly ExpressionWithTypeArguments[], isLegacy: (sf: SourceFile) => boolean): boolean {
  const m = r.getParent();
  if (!m || !Node.isMethodDeclaration(m) || m.getNameNode() !== r) return false;
  const ours = new Set(contracts.map((c) => c.getType().getSymbol()));
  return legacyContracts(m, isLegacy).some((c) => ours.has(c.getType().getSymbol()));
}

/** Edits on a file's text that drop these `implements` entries (and imports nothing else uses). */
export function dropContractEdits(entries: readonly ExpressionWithTypeArguments[]): Edit[] {
  const edits: Edit[] = [];
  const byClause = new Map<Node, ExpressionWithTypeArguments[]>();
  for (const e of entries) {
    const clause = e.getParentOrThrow();
    (byClause.get(clause) ?? byClause.set(clause, []).get(clause)!).push(e);
  }
  for (const [clause, gone] of byClause) {
    const all = (clause as Node).getChildrenOfKind(ts.SyntaxKind.SyntaxList)[0]?.getChildren().filter((c) => Node.isExpressionWithTypeArguments(c)) ?? [];
    if (gone.length >= all.length) edits.push({ start: clause.getPos(), end: clause.getEnd(), text: '' });
    else {
      all.forEach((e, i) => {
        if (gone.includes(e as ExpressionWithTypeArguments)) edits.push(entryRemoval(all, i));
      });
    }
  }
  edits.push(...unusedImportEdits(entries));
  return edits;
}

/** Imports whose every use was one of the dropped entries. */
function unusedImportEdits(entries: readonly ExpressionWithTypeArguments[]): Edit[] {
  const edits: Edit[] = [];
  const gone = new Set<Node>(entries.map((e) => e.getExpression()));
  const seen = new Set<Node>();
  for (const e of entries) {
    const id = e.getExpression();
    if (!Node.isIdentifier(id)) continue;
    const spec = id.getSymbol()?.getDeclarations().find((d) => Node.isImportSpecifier(d));
    if (!spec || !Node.isImportSpecifier(spec) || seen.has(spec)) continue;
    seen.add(spec);
    const local = spec.getAliasNode() ?? spec.getNameNode();
    const uses = Node.isIdentifier(local) ? referencesOf(local).filter((r) => r !== local && r.getSourceFile() === spec.getSourceFile()) : [];
    if (!uses.every((u) => gone.has(u))) continue;
    const decl = spec.getImportDeclaration();
    const named = decl.getNamedImports();
    const text = decl.getSourceFile().getFullText();
    if (named.length === 1 && !decl.getDefaultImport() && !decl.getNamespaceImport()) edits.push({ ...statementLineRange(text, decl.getStart(), decl.getEnd()), text: '' });
    else edits.push(entryRemoval(named, named.indexOf(spec)));
  }
  return edits;
}

/** Deleting entry `i` of a comma-separated list: with the comma after it (the last entry: the one before it). */
function entryRemoval(all: readonly Node[], i: number): Edit {
  return i < all.length - 1 ? { start: all[i]!.getStart(), end: all[i + 1]!.getStart(), text: '' } : { start: all[i - 1]!.getEnd(), end: all[i]!.getEnd(), text: '' };
}
