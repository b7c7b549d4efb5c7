/**
 * ts-morph's `findReferencesAsNodes()`, answered by the project's own program. ts-morph asks its
 * language service, which holds a second program over the same parsed files with a second type
 * checker: every type a reference search resolves (a member's receiver, an alias) was resolved
 * again there, and the service's program was rebuilt after each change to the project. Here the
 * same search (the compiler's FindAllReferences, as the service runs it) runs on the program
 * `getType()` and `getSymbol()` use, whose checker has resolved most of it already; the results
 * go through ts-morph's own wrappers and filter, so the nodes are the ones ts-morph returns.
 */
import { Node, ts, type ReferencedSymbol } from 'ts-morph';

/** What ts-morph keeps on every node (not in its typings): the factory that wraps compiler results. */
interface MorphContext {
  compilerFactory: { getReferencedSymbol(s: ts.ReferencedSymbol): ReferencedSymbol };
}

const neverCancelled: ts.CancellationToken = { isCancellationRequested: () => false, throwIfCancellationRequested: () => undefined };

interface FindAllReferences {
  findReferencedSymbols(program: ts.Program, token: ts.CancellationToken, sourceFiles: readonly ts.SourceFile[], sourceFile: ts.SourceFile, position: number): ts.ReferencedSymbol[] | undefined;
}

/** The compiler's reference search (internal to TypeScript, exported by its bundle), when present. */
const findAll = (ts as unknown as { FindAllReferences?: Partial<FindAllReferences> }).FindAllReferences;

/** Every reference of the declaration `name` names, as `name.findReferencesAsNodes()` returns them. */
export function referencesOf(name: Node): Node[] {
  const context = (name as unknown as { _context?: MorphContext })._context;
  if (!findAll?.findReferencedSymbols || !context?.compilerFactory || !(Node.isIdentifier(name) || Node.isPrivateIdentifier(name))) {
    return (name as unknown as { findReferencesAsNodes(): Node[] }).findReferencesAsNodes();
  }
  const program = name.getProject().getProgram().compilerObject;
  const sf = name.getSourceFile();
  if (program.getSourceFile(sf.getFilePath()) !== sf.compilerNode) return (name as unknown as { findReferencesAsNodes(): Node[] }).findReferencesAsNodes();
  const found = findAll.findReferencedSymbols(program, neverCancelled, program.getSourceFiles(), sf.compilerNode, name.getStart()) ?? [];
  const out: Node[] = [];
  // ts-morph's filter: a symbol's first reference is left out when it is the declaration itself (an alias's is kept)
  for (const s of found.map((x) => context.compilerFactory.getReferencedSymbol(x))) {
    const isAlias = s.getDefinition().getKind() === ts.ScriptElementKind.alias;
    s.getReferences().forEach((r, i) => {
      if (isAlias || !r.isDefinition() || i > 0) out.push(r.getNode());
    });
  }
  return out;
}
