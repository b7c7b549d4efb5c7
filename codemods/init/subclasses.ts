/**
 * init: the classes that extend a legacy class (`class B extends A<T>`, through any import or
 * barrel), and the `super.member(…)` calls they make. A base class is no manager to map to the
 * canonical interface: `extends` needs a value (an interface is TS2689 there) and the subclasses
 * inherit its code — what the hierarchy becomes is a person's decision (moves, splits).
 */
import ts from '../engine/ts-api.js';

export interface Subclass {
  /** The subclass's name (`(anonymous)` for a class expression without one). */
  name: string;
  /** Repo-relative file of the subclass. */
  file: string;
  /** `file:line` of its `extends` clause. */
  at: string;
  /** Its `super.member` reads (each `super.onSubscribe(…)` one). */
  superCalls: number;
}

/** Every class in `files` whose `extends` clause resolves to `target`. */
export function subclassesOf(checker: ts.TypeChecker, files: readonly ts.SourceFile[], target: ts.Symbol, rel: (fileName: string) => string): Subclass[] {
  const out: Subclass[] = [];
  for (const sf of files) {
    if (!sf.text.includes('extends')) continue;
    const visit = (n: ts.Node): void => {
      if ((ts.isClassDeclaration(n) || ts.isClassExpression(n)) && n.heritageClauses) {
        const ext = n.heritageClauses.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
        const sym = ext ? checker.getSymbolAtLocation(ext.expression) : undefined;
        const resolved = sym && (sym.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(sym) : sym;
        if (ext && resolved === target) {
          let superCalls = 0;
          const count = (m: ts.Node): void => {
            if (ts.isPropertyAccessExpression(m) && m.expression.kind === ts.SyntaxKind.SuperKeyword) superCalls++;
            ts.forEachChild(m, count);
          };
          n.members.forEach(count);
          out.push({ name: n.name?.text ?? '(anonymous)', file: rel(sf.fileName), at: `${rel(sf.fileName)}:${sf.getLineAndCharacterOfPosition(ext.getStart(sf)).line + 1}`, superCalls });
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

/** Whether a class declaration is `abstract`. */
export function isAbstractClass(decl: ts.Declaration | undefined): boolean {
  return decl !== undefined && ts.isClassDeclaration(decl) && (ts.getModifiers(decl) ?? []).some((m) => m.kind === ts.SyntaxKind.AbstractKeyword);
}
