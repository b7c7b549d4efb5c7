/**
 * Whether a source file is a CommonJS script: a `.cjs` file, or a JavaScript file (`.js`, `.jsx`)
 * with no `import`/`export` statement. Such a file loads modules with `require()`; an `import`
 * statement a phase adds would make it an ES module, where `require`, `module` and `exports` are
 * gone. Syntax only (the engine's parse): no package.json `type` is read, as a `.js` file without
 * module syntax runs as CommonJS in a package without `"type": "module"` and fails either way in one.
 */
import ts from './ts-api.js';

export function isCommonJsScript(file: string, sf: ts.SourceFile): boolean {
  if (/\.cjs$/.test(file)) return true;
  if (!/\.(js|jsx)$/.test(file)) return false;
  return !sf.statements.some(
    (st) =>
      ts.isImportDeclaration(st) ||
      ts.isExportDeclaration(st) ||
      ts.isExportAssignment(st) ||
      (ts.canHaveModifiers(st) && (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)),
  );
}

/** `const { a, b: c } = require('m');` — the CommonJS form of `import { a, b as c } from 'm'` (names as `name` or `name as alias`). */
export function requireLine(names: readonly string[], specifierLiteral: string, semi: string): string {
  return `const { ${names.map((n) => n.replace(' as ', ': ')).join(', ')} } = require(${specifierLiteral})${semi}`;
}

/** Whether a binding name (identifier or pattern) declares `name`. */
function binds(name: ts.BindingName, text: string): boolean {
  if (ts.isIdentifier(name)) return name.text === text;
  return name.elements.some((e) => !ts.isOmittedExpression(e) && binds(e.name, text));
}

/** Whether `require` at `id` is a local binding (a parameter, a variable, a function) rather than Node's. */
function requireIsLocal(id: ts.Identifier): boolean {
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n) && n.parameters.some((p) => binds(p.name, 'require'))) return true;
    if (ts.isBlock(n) || ts.isSourceFile(n) || ts.isModuleBlock(n) || ts.isCaseBlock(n)) {
      const statements = ts.isCaseBlock(n) ? n.clauses.flatMap((c) => [...c.statements]) : [...n.statements];
      for (const st of statements) {
        if (ts.isVariableStatement(st) && !(ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword) && st.declarationList.declarations.some((d) => binds(d.name, 'require'))) return true;
        // an ambient `declare function require` types the global one (no @types/node): not a local value
        const ambient = ts.canHaveModifiers(st) && (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);
        if (!ambient && (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name?.text === 'require') return true;
      }
    }
    if ((ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n)) && n.initializer && ts.isVariableDeclarationList(n.initializer) && n.initializer.declarations.some((d) => binds(d.name, 'require'))) return true;
    if (ts.isCatchClause(n) && n.variableDeclaration && binds(n.variableDeclaration.name, 'require')) return true;
  }
  return false;
}

/**
 * `require('m')` calls whose `require` is a local binding (a plugin loader's parameter, a
 * wrapper): not Node's module load, though TypeScript's JavaScript binder still takes
 * `const x = require('m')` for one (it does not look at scopes), so the checker types `x` as the
 * module. A phase that would rewrite through such a load must leave the file alone.
 */
export function localRequireCalls(sf: ts.SourceFile): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'require' && n.arguments.length === 1 && ts.isStringLiteralLike(n.arguments[0]!) && requireIsLocal(n.expression)) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/**
 * A TypeScript global script — a `.ts`/`.tsx` file with no import or export (nor `import.meta`):
 * the compiler puts its top-level declarations in the global scope, so other files use them by
 * name with no import at all. Returns those declarations (name and node, in order), or undefined
 * when the file is a module (or JavaScript: a `.js` file without module syntax runs as CommonJS,
 * whose declarations are its own). A script declaring nothing returns an empty list.
 */
export function globalScriptDeclarations(file: string, sf: ts.SourceFile): Array<{ name: string; node: ts.Statement }> | undefined {
  if (!/\.tsx?$/.test(file) || ts.isExternalModule(sf)) return undefined;
  const out: Array<{ name: string; node: ts.Statement }> = [];
  const names = (b: ts.BindingName): string[] => (ts.isIdentifier(b) ? [b.text] : b.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : names(e.name))));
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) for (const name of names(d.name)) out.push({ name, node: st });
    else if ((ts.isClassDeclaration(st) || ts.isFunctionDeclaration(st) || ts.isEnumDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isModuleDeclaration(st)) && st.name && ts.isIdentifier(st.name)) out.push({ name: st.name.text, node: st });
  }
  return out;
}
