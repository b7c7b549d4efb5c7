/**
 * ts-morph's `findReferencesAsNodes()`, answered by the project's own program. ts-morph asks its
 * language service, which holds a second program over the same parsed files with a second type
 * checker: every type a reference search resolves (a member's receiver, an alias) was resolved
 * again there, and the service's program was rebuilt after each change to the project. Here the
 * same search (the compiler's FindAllReferences core, as the service's findReferences runs it)
 * runs on the program `getType()` and `getSymbol()` use, whose checker has resolved most of it
 * already, and without the service's display text of each definition (quick-info, which types
 * the symbol again) except where ts-morph's filter needs its kind; the nodes are found through
 * ts-morph's own wrappers, so they are the ones it returns.
 */
import { Node, SyntaxKind, ts, type BinaryExpression, type Identifier, type PrivateIdentifier } from 'ts-morph';
import { reachesAnyFile } from './global-declarations.js';
import { withImporters } from './importer-closure.js';

/** What ts-morph keeps on every node (not in its typings): the factory that wraps compiler results. */
interface MorphContext {
  compilerFactory: { getReferencedSymbolEntry(e: ts.ReferencedSymbolEntry): { getNode(): Node } };
}

/** The compiler's reference search and the helpers the service wraps it with (internal to TypeScript, exported by its bundle). */
interface Internals {
  FindAllReferences: {
    Core: {
      getReferencedSymbolsForNode(position: number, node: ts.Node, program: ts.Program, sourceFiles: readonly ts.SourceFile[], token: ts.CancellationToken, options: { use: number }): Array<{ definition?: { type: number; symbol?: ts.Symbol }; references: Array<{ kind: number; node?: ts.Node }> }> | undefined;
      getAdjustedNode(node: ts.Node, options: { use: number }): ts.Node;
      getIntersectingMeaningFromDeclarations(node: ts.Node, symbol: ts.Symbol): number;
    };
    FindReferencesUse: { References: number };
    toReferenceEntry(entry: unknown): ts.ReferenceEntry;
    isDeclarationOfSymbol(node: ts.Node, symbol: ts.Symbol): boolean;
  };
  SymbolDisplay: {
    getSymbolDisplayPartsDocumentationAndSymbolKind(checker: ts.TypeChecker, symbol: ts.Symbol, sf: ts.SourceFile, enclosing: ts.Node, location: ts.Node, meaning: number): { symbolKind: string };
  };
  getTouchingPropertyName(sf: ts.SourceFile, position: number): ts.Node;
  getCombinedLocalAndExportSymbolFlags(symbol: ts.Symbol): ts.SymbolFlags;
  getDeclarationFromName(node: ts.Node): ts.Declaration | undefined;
  isLiteralComputedPropertyDeclarationName(node: ts.Node): boolean;
}

const internal = ts as unknown as Partial<Internals>;
const available = ['FindAllReferences', 'SymbolDisplay', 'getTouchingPropertyName', 'getCombinedLocalAndExportSymbolFlags', 'getDeclarationFromName', 'isLiteralComputedPropertyDeclarationName'].every((k) => (internal as Record<string, unknown>)[k] !== undefined);

const neverCancelled: ts.CancellationToken = { isCancellationRequested: () => false, throwIfCancellationRequested: () => undefined };

/** The service's test for a search started at a declaration's name (then each reference says whether it is a declaration). */
function isDefinitionForReference(t: Internals, node: ts.Node): boolean {
  return node.kind === ts.SyntaxKind.DefaultKeyword || !!t.getDeclarationFromName(node) || t.isLiteralComputedPropertyDeclarationName(node) || (node.kind === ts.SyntaxKind.ConstructorKeyword && ts.isConstructorDeclaration(node.parent));
}

/** Whether a definition is an alias by the service's kind: only a symbol with the Alias flag can be one, so only its kind is computed. */
function isAliasDefinition(t: Internals, def: { type: number; symbol?: ts.Symbol }, checker: ts.TypeChecker, node: ts.Node): boolean {
  const symbol = def.type === 0 ? def.symbol : undefined; // DefinitionKind.Symbol; the others are labels, keywords, `this`, strings
  if (!symbol || !(t.getCombinedLocalAndExportSymbolFlags(symbol) & ts.SymbolFlags.Alias)) return false;
  const meaning = t.FindAllReferences.Core.getIntersectingMeaningFromDeclarations(node, symbol);
  const enclosing = symbol.declarations?.[0] ?? node;
  return t.SymbolDisplay.getSymbolDisplayPartsDocumentationAndSymbolKind(checker, symbol, enclosing.getSourceFile(), enclosing, enclosing, meaning).symbolKind === ts.ScriptElementKind.alias;
}

export interface ReferenceScope {
  /**
   * Search only the repo's own files that can see the declaration: its file, the files importing
   * it (transitively, through re-exports too) and the files whose declarations reach every file
   * (engine/global-declarations.ts); not the default libraries or installed packages' declaration
   * files. For a caller that drops every reference outside the repo's sources: a file that
   * imports nothing leading to the declaration cannot name it, and each search maps every import
   * of every file it is given (the compiler's import tracker, rebuilt per search).
   */
  repoOnly?: boolean;
}

/** Per program: the files importing each file (module specifiers as the checker resolves them), and the files searched always. */
const importGraphs = new WeakMap<ts.Program, { importers: Map<ts.SourceFile, ts.SourceFile[]>; repo: ts.SourceFile[]; always: Set<ts.SourceFile> }>();

function importGraph(program: ts.Program): { importers: Map<ts.SourceFile, ts.SourceFile[]>; repo: ts.SourceFile[]; always: Set<ts.SourceFile> } {
  let g = importGraphs.get(program);
  if (g) return g;
  const checker = program.getTypeChecker();
  const importers = new Map<ts.SourceFile, ts.SourceFile[]>();
  const repo = program.getSourceFiles().filter((f) => !program.isSourceFileDefaultLibrary(f) && !(f.isDeclarationFile && f.fileName.includes('/node_modules/')));
  const always = new Set<ts.SourceFile>();
  for (const sf of repo) {
    // what the compiler's import tracker walks (its forEachImport): the file's module specifiers
    const specifiers = (sf as unknown as { imports?: readonly ts.StringLiteralLike[] }).imports;
    if (specifiers === undefined || reachesAnyFile(sf.text)) always.add(sf);
    for (const spec of specifiers ?? []) {
      for (const d of checker.getSymbolAtLocation(spec)?.declarations ?? []) {
        const target = d.getSourceFile();
        const list = importers.get(target) ?? importers.set(target, []).get(target)!;
        if (list[list.length - 1] !== sf) list.push(sf);
      }
    }
  }
  importGraphs.set(program, (g = { importers, repo, always }));
  return g;
}

/** The files a repoOnly search looks in, in the program's order. */
function filesSeeing(program: ts.Program, sf: ts.SourceFile): ts.SourceFile[] {
  const { importers, repo, always } = importGraph(program);
  const seen = withImporters([sf], (f) => importers.get(f));
  return repo.filter((f) => seen.has(f) || always.has(f));
}

/** Every reference of the declaration `name` names, as `name.findReferencesAsNodes()` returns them. */
export function referencesOf(name: Node, scope: ReferenceScope = {}): Node[] {
  const context = (name as unknown as { _context?: MorphContext })._context;
  const fallback = (): Node[] => (name as unknown as { findReferencesAsNodes(): Node[] }).findReferencesAsNodes();
  if (!available || !context?.compilerFactory || !(Node.isIdentifier(name) || Node.isPrivateIdentifier(name))) return fallback();
  const t = internal as Internals;
  const program = name.getProject().getProgram().compilerObject;
  const sf = name.getSourceFile().compilerNode;
  if (program.getSourceFile(sf.fileName) !== sf) return fallback();
  const files = scope.repoOnly ? filesSeeing(program, sf) : program.getSourceFiles();
  const checker = program.getTypeChecker();
  const position = name.getStart();
  // FindAllReferences.findReferencedSymbols, as the service's findReferences calls it
  const node = t.getTouchingPropertyName(sf, position);
  const options = { use: t.FindAllReferences.FindReferencesUse.References };
  const groups = t.FindAllReferences.Core.getReferencedSymbolsForNode(position, node, program, files, neverCancelled, options) ?? [];
  const adjusted = t.FindAllReferences.Core.getAdjustedNode(node, options);
  const symbol = isDefinitionForReference(t, adjusted) ? checker.getSymbolAtLocation(adjusted) : undefined;
  const out: Node[] = [];
  for (const { definition, references } of groups) {
    if (!definition) continue;
    // ts-morph's filter: a symbol's first reference is left out when it is a declaration (an alias's is kept)
    const isAlias = isAliasDefinition(t, definition, checker, node);
    references.forEach((r, i) => {
      const entry = t.FindAllReferences.toReferenceEntry(r) as ts.ReferencedSymbolEntry;
      if (symbol) entry.isDefinition = r.kind !== 0 && r.node !== undefined && t.FindAllReferences.isDeclarationOfSymbol(r.node, symbol);
      if (isAlias || !entry.isDefinition || i > 0) out.push(context.compilerFactory.getReferencedSymbolEntry(entry).getNode());
    });
  }
  return out;
}

/** The reads and the plain assignments (`=`) of a binding, anywhere in the project. */
export function bindingUses(name: Identifier | PrivateIdentifier): { reads: Node[]; writes: BinaryExpression[] } {
  const reads: Node[] = [];
  const writes: BinaryExpression[] = [];
  for (const r of referencesOf(name)) {
    if (r === name) continue;
    const parent = r.getParent();
    const recv = Node.isPropertyAccessExpression(parent) && parent.getNameNode() === r ? parent : r;
    const bin = recv.getParent();
    if (Node.isBinaryExpression(bin) && bin.getLeft() === recv && bin.getOperatorToken().getKind() === SyntaxKind.EqualsToken) writes.push(bin);
    else reads.push(recv);
  }
  return { reads, writes };
}

/**
 * A member's name where it is declared, not used: a method, property or accessor of a class,
 * interface or object literal. A reference search from one member also returns the members it
 * implements or that implement the same interface member (`Hub.stats`, `HubApi.stats?()`,
 * `WorkerHub.stats()`): those are other declarations, not calls of it.
 */
export function isMemberDeclarationName(n: Node): boolean {
  const p = n.getParent();
  if (!p) return false;
  const named = Node.isMethodDeclaration(p) || Node.isMethodSignature(p) || Node.isPropertyDeclaration(p) || Node.isPropertySignature(p) || Node.isGetAccessorDeclaration(p) || Node.isSetAccessorDeclaration(p) || Node.isPropertyAssignment(p) || Node.isShorthandPropertyAssignment(p);
  return named && p.getNameNode() === n;
}
