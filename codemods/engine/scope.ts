import { deepestNodeAt } from './node-at.js';
import ts from './ts-api.js';

/**
 * A syntax-only view of the names in a file: where each identifier is declared and where it
 * is referenced. Good enough to rename an import binding safely because callers refuse to
 * rename any name declared more than once (shadowing) and fall back to an alias.
 */
export interface ScopeIndex {
  /** Binding declarations per name (imports, variables, params, functions, classes, types...). */
  declared: Map<string, ts.Identifier[]>;
  /** Identifiers in reference position per name (not property names, not declarations). */
  references: Map<string, ts.Identifier[]>;
}

/** Built on first use: TypeScript loads when a file is first parsed, not when this module is (ts-api.js). */
let bindingParents: ReadonlySet<ts.SyntaxKind> | undefined;
const BINDING_PARENTS = (): ReadonlySet<ts.SyntaxKind> => (bindingParents ??= new Set<ts.SyntaxKind>([
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.Parameter,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.ClassExpression,
  ts.SyntaxKind.InterfaceDeclaration,
  ts.SyntaxKind.TypeAliasDeclaration,
  ts.SyntaxKind.EnumDeclaration,
  ts.SyntaxKind.ModuleDeclaration,
  ts.SyntaxKind.ImportClause,
  ts.SyntaxKind.ImportSpecifier,
  ts.SyntaxKind.NamespaceImport,
  ts.SyntaxKind.ImportEqualsDeclaration,
  ts.SyntaxKind.TypeParameter,
  ts.SyntaxKind.BindingElement,
]));

/**
 * Positions where an identifier is a name of something else (a property, a label...), not a
 * binding use. One switch on the parent's kind (a chain of ts.isX tests cost ~3% of the rewrite).
 */
function isNonReferenceName(id: ts.Identifier, p: ts.Node): boolean {
  const K = ts.SyntaxKind;
  switch (p.kind) {
    case K.PropertyAccessExpression:
      return (p as ts.PropertyAccessExpression).name === id;
    case K.QualifiedName:
      return (p as ts.QualifiedName).right === id;
    case K.BindingElement:
      return (p as ts.BindingElement).propertyName === id;
    case K.ImportSpecifier:
      return (p as ts.ImportSpecifier).propertyName === id;
    case K.ExportSpecifier: {
      const e = p as ts.ExportSpecifier;
      if (e.parent.parent.moduleSpecifier !== undefined) return true;
      return e.propertyName === undefined ? false : e.name === id;
    }
    case K.LabeledStatement:
    case K.BreakStatement:
    case K.ContinueStatement:
    case K.JsxAttribute:
    case K.MetaProperty:
      return true;
    case K.PropertyAssignment:
    case K.PropertyDeclaration:
    case K.PropertySignature:
    case K.MethodDeclaration:
    case K.MethodSignature:
    case K.GetAccessor:
    case K.SetAccessor:
    case K.EnumMember:
    case K.NamedTupleMember:
      return (p as { name?: ts.Node }).name === id;
    case K.ImportType:
      // `import('m').X` names the module's export X, not a local binding X
      return (p as ts.ImportTypeNode).qualifier === id;
    default:
      // ShorthandPropertyAssignment and everything else: a reference
      return false;
  }
}

export function buildScopeIndex(sf: ts.SourceFile): ScopeIndex {
  const declared = new Map<string, ts.Identifier[]>();
  const references = new Map<string, ts.Identifier[]>();
  const push = (m: Map<string, ts.Identifier[]>, id: ts.Identifier): void => {
    const list = m.get(id.text);
    if (list) list.push(id);
    else m.set(id.text, [id]);
  };
  const js = isJavaScriptFile(sf);
  const inDocType = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      if (!isNonReferenceName(node, node.parent)) push(references, node);
      return;
    }
    ts.forEachChild(node, inDocType);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const p = node.parent;
      if (BINDING_PARENTS().has(p.kind) && (p as { name?: ts.Node }).name === node) push(declared, node);
      else if (!isNonReferenceName(node, p)) push(references, node);
      return;
    }
    if (js) for (const doc of jsDocsOf(node)) forEachDocType(doc, inDocType);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { declared, references };
}

/**
 * The names a piece of code (a replacement's text, parsed on its own) references: what an edit's
 * new text still needs in scope. Token-aware where a text search is not: a name in a string, a
 * comment, after a dot or as a property key is no reference, and `$`-names are plain names.
 */
export function referencedNames(code: string): ReadonlySet<string> {
  const sf = ts.createSourceFile('fragment.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return new Set(buildScopeIndex(sf).references.keys());
}

/**
 * A JavaScript file's JSDoc types are its type annotations (`checkJs` resolves `@param {X}`,
 * `@type {typeof X}`, `@typedef {import('m').X}`): their names are references of the bindings
 * they name. A TypeScript file's JSDoc types are documentation only, so they are not.
 */
export function isJavaScriptFile(sf: ts.SourceFile): boolean {
  return (sf.flags & ts.NodeFlags.JavaScriptFile) !== 0;
}

/** The JSDoc comments attached to a node (parsed only where the file's JSDoc is). */
export function jsDocsOf(node: ts.Node): readonly ts.JSDoc[] {
  return (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
}

/** Calls `f` on each type expression of a JSDoc comment (`{…}` of its tags), not on its text, tag or parameter names. */
export function forEachDocType(doc: ts.JSDoc, f: (type: ts.Node) => void): void {
  const seek = (n: ts.Node): void => {
    if (ts.isJSDocTypeExpression(n)) f(n.type);
    else ts.forEachChild(n, seek);
  };
  ts.forEachChild(doc, seek);
}

/** The identifier `name` starting at `at` inside a JSDoc type of a JavaScript file (`identifierAt` sees no JSDoc tree). */
function docIdentifierAt(sf: ts.SourceFile, at: number, name: string): ts.Identifier | undefined {
  for (let n = deepestNodeAt(sf, at); n !== undefined; n = n.parent) {
    for (const doc of jsDocsOf(n)) {
      if (at < doc.pos || at >= doc.end) continue;
      let found: ts.Identifier | undefined;
      const seek = (c: ts.Node): void => {
        if (found !== undefined || c.end <= at || c.pos > at) return;
        if (ts.isIdentifier(c)) {
          if (c.end === at + name.length && c.text === name) found = c;
        } else ts.forEachChild(c, seek);
      };
      forEachDocType(doc, seek);
      return found;
    }
    if (ts.isSourceFile(n)) break;
  }
  return undefined;
}

/** One name's entries of a ScopeIndex: its binding declarations and its references, in document order. */
export interface NameUses {
  declared: readonly ts.Identifier[];
  references: readonly ts.Identifier[];
}

/**
 * buildScopeIndex's answers for the names asked about, found from the text: each occurrence of
 * the name is looked up in the tree by descending to its position (only the nodes on the way are
 * visited) and kept when an identifier spans exactly it, in text order.
 * A codemod asks about a handful of names per file, so this skips the walk of every node that
 * the full index pays (~40% of rewrite-imports' per-file rewrite). A file with a `\u` escape,
 * which may spell a name without its text, is indexed in full on the first question.
 */
export class NameIndex {
  private readonly cache = new Map<string, NameUses>();
  private full?: ScopeIndex;
  /** The text holds a `\u` escape (checked on the first question). */
  private escaped?: boolean;
  constructor(readonly sf: ts.SourceFile) {}

  declared(name: string): readonly ts.Identifier[] {
    return this.uses(name).declared;
  }

  references(name: string): readonly ts.Identifier[] {
    return this.uses(name).references;
  }

  uses(name: string): NameUses {
    let u = this.cache.get(name);
    if (u !== undefined) return u;
    const text = this.sf.text;
    if ((this.escaped ??= text.includes('\\u'))) {
      this.full ??= buildScopeIndex(this.sf);
      u = { declared: this.full.declared.get(name) ?? [], references: this.full.references.get(name) ?? [] };
    } else {
      const declared: ts.Identifier[] = [];
      const references: ts.Identifier[] = [];
      const js = isJavaScriptFile(this.sf);
      if (name.length > 0)
        for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
          const id = identifierAt(this.sf, at, name) ?? (js ? docIdentifierAt(this.sf, at, name) : undefined);
          if (id === undefined) continue;
          if (isDeclarationName(id)) declared.push(id);
          else if (!isNonReferenceName(id, id.parent)) references.push(id);
        }
      u = { declared, references };
    }
    this.cache.set(name, u);
    return u;
  }
}

/** How buildScopeIndex files an identifier: the name of a binding declaration. */
function isDeclarationName(id: ts.Identifier): boolean {
  const p = id.parent;
  return BINDING_PARENTS().has(p.kind) && (p as { name?: ts.Node }).name === id;
}

/**
 * The identifier `name` whose text starts at `at`, if the tree has one there (not a comment, a
 * string, a longer name or a JSDoc tree, which buildScopeIndex does not walk either).
 */
function identifierAt(sf: ts.SourceFile, at: number, name: string): ts.Identifier | undefined {
  const n = deepestNodeAt(sf, at);
  // no escape in the file (NameIndex checks): an identifier spelling `name` and ending here starts at `at`
  return n !== undefined && ts.isIdentifier(n) && n.end === at + name.length && n.text === name ? n : undefined;
}

/**
 * Whether a reference sits where only a type is needed (a type annotation, `implements`,
 * an interface's `extends`); `typeof X` and everything in expressions need a value.
 */
export function isTypePosition(node: ts.Node): boolean {
  let n: ts.Node = node;
  while (ts.isQualifiedName(n.parent) || (ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n)) n = n.parent;
  const p = n.parent;
  if (ts.isExpressionWithTypeArguments(p)) {
    const clause = p.parent;
    return ts.isHeritageClause(clause) && (clause.token === ts.SyntaxKind.ImplementsKeyword || ts.isInterfaceDeclaration(clause.parent));
  }
  if (ts.isTypeQueryNode(p)) return false;
  return ts.isTypeReferenceNode(p) || ts.isImportTypeNode(p) || ts.isTypeNode(p);
}

/**
 * The part of the file where a nested value declaration's name shadows a top-level one (an import):
 * a parameter's function, a `let`/`const`/class/function/enum's enclosing block, a `var`'s
 * function, a catch clause's variable's clause, a function or class expression's own name. Undefined
 * for a top-level declaration or a type-only one (an interface or type alias does not shadow a value).
 */
function shadowScope(id: ts.Identifier): ts.Node | undefined {
  let d: ts.Node = id.parent;
  if (ts.isImportClause(d) || ts.isImportSpecifier(d) || ts.isNamespaceImport(d) || ts.isImportEqualsDeclaration(d)) return undefined;
  while (ts.isBindingElement(d) || ts.isObjectBindingPattern(d) || ts.isArrayBindingPattern(d)) d = d.parent;
  if (ts.isParameter(d)) return d.parent;
  if ((ts.isFunctionExpression(d) || ts.isClassExpression(d)) && d.name === id) return d;
  if (ts.isVariableDeclaration(d)) {
    if (ts.isCatchClause(d.parent)) return d.parent;
    const list = d.parent;
    const isVar = ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.BlockScoped) === 0;
    let s: ts.Node = ts.isVariableDeclarationList(list) ? list.parent : d;
    // a `for (let x …)` scopes x to the loop; a statement's declarations to its block, a `var`'s to its function
    if (ts.isForStatement(s) || ts.isForInStatement(s) || ts.isForOfStatement(s)) return isVar ? functionOf(s) : s;
    s = s.parent;
    return isVar ? functionOf(s) : ts.isSourceFile(s) ? undefined : s;
  }
  if (ts.isFunctionDeclaration(d) || ts.isClassDeclaration(d) || ts.isEnumDeclaration(d)) return ts.isSourceFile(d.parent) ? undefined : d.parent;
  return undefined;
}

function functionOf(n: ts.Node): ts.Node | undefined {
  for (let at: ts.Node | undefined = n; at; at = at.parent) if (ts.isFunctionLike(at) || ts.isClassStaticBlockDeclaration(at)) return at;
  return undefined;
}

/**
 * The references of the binding `own` declares: those of its name inside its scope (a nested one's,
 * or the whole file), minus those inside the scope of another declaration of the name nested in it
 * (`function b(send) { send() }` does not use the imported `send`). Syntax only, as the index is.
 */
export function bindingReferences(own: ts.Identifier, declared: readonly ts.Identifier[], references: readonly ts.Identifier[]): ts.Identifier[] {
  const ownScope: ts.Node = shadowScope(own) ?? own.getSourceFile();
  const inside = (n: ts.Node, s: ts.Node): boolean => n.pos >= s.pos && n.end <= s.end;
  const scopes = declared.flatMap((d) => {
    const s = d === own ? undefined : shadowScope(d);
    return s && s !== ownScope && inside(s, ownScope) ? [s] : [];
  });
  return references.filter((r) => inside(r, ownScope) && !scopes.some((s) => inside(r, s)));
}
