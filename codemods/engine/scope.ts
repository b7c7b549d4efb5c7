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

const BINDING_PARENTS = new Set<ts.SyntaxKind>([
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
]);

/** Positions where an identifier is a name of something else (a property, a label...), not a binding use. */
function isNonReferenceName(id: ts.Identifier, p: ts.Node): boolean {
  if (ts.isPropertyAccessExpression(p)) return p.name === id;
  if (ts.isQualifiedName(p)) return p.right === id;
  if (ts.isBindingElement(p)) return p.propertyName === id;
  if (ts.isImportSpecifier(p)) return p.propertyName === id;
  if (ts.isExportSpecifier(p)) {
    if (p.parent.parent.moduleSpecifier !== undefined) return true;
    return p.propertyName === undefined ? false : p.name === id;
  }
  if (ts.isImportTypeNode(p)) return false;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return true;
  if (ts.isJsxAttribute(p) || ts.isMetaProperty(p)) return true;
  if (ts.isShorthandPropertyAssignment(p)) return false;
  if (
    ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p) ||
    ts.isMethodDeclaration(p) || ts.isMethodSignature(p) || ts.isGetAccessorDeclaration(p) ||
    ts.isSetAccessorDeclaration(p) || ts.isEnumMember(p) || ts.isNamedTupleMember(p)
  )
    return (p as { name?: ts.Node }).name === id;
  return false;
}

export function buildScopeIndex(sf: ts.SourceFile): ScopeIndex {
  const declared = new Map<string, ts.Identifier[]>();
  const references = new Map<string, ts.Identifier[]>();
  const push = (m: Map<string, ts.Identifier[]>, id: ts.Identifier): void => {
    const list = m.get(id.text);
    if (list) list.push(id);
    else m.set(id.text, [id]);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const p = node.parent;
      if (BINDING_PARENTS.has(p.kind) && (p as { name?: ts.Node }).name === node) push(declared, node);
      else if (!isNonReferenceName(node, p)) push(references, node);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { declared, references };
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
