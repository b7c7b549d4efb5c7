/**
 * init: the instances of legacy classes that legacy modules build and export themselves, in each
 * shape a module exports one — `export const m = new M()` (or `= M.getInstance()`), `export default
 * new M()`, `module.exports = new M()`, `const x = new M(); module.exports = x`, `exports.m = new M()`,
 * `module.exports = { m }`, `export default { m }` — and how the code that stays uses each: member calls (classes[] templates take them) and reads
 * as a value (passed on, stored, `{ m }`, `typeof m`: what those become is a person's decision).
 * Which export a reference is comes from legacy-use/exported-values.ts, which remove-adapters reads too
 * (and, for a CommonJS module, from the one reader strangle uses: strangle/commonjs-shape.ts).
 */
import ts from '../engine/ts-api.js';
import { exportedValues, type ExportForm } from '../legacy-use/exported-values.js';

export type InstanceForm = ExportForm;

export interface ExportedInstance {
  /** The legacy module that builds and exports it. */
  module: string;
  /** The exported name (`default` for `export default` and `module.exports = …`). */
  name: string;
  class: string;
  form: InstanceForm;
  /** `file:line` of the export. */
  at: string;
  /** Files that stay (not legacy modules) reaching it: an import or require of it, a member call, a read. */
  users: string[];
  /** `file:line` of each read other than a member access, in files that stay. */
  valueReads: string[];
}

export interface InstanceQuery {
  checker: ts.TypeChecker;
  files: readonly ts.SourceFile[];
  /** Repo-relative path of a source file. */
  rel(file: string): string;
  /** The legacy module a file is, or undefined for a file that stays. */
  legacyModuleOf(file: string): string | undefined;
  /** The legacy class a value of this type is an instance of (init's own answer). */
  classOf(type: ts.Type): ts.ClassDeclaration | undefined;
}

const resolved = (checker: ts.TypeChecker, s: ts.Symbol): ts.Symbol => ((s.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(s) : s);

/** The instances found, and the declarations their users' references resolve to (what makes an export one of them). */
export function findExportedInstances(q: InstanceQuery): { instances: ExportedInstance[]; declarations: ReadonlySet<ts.Node> } {
  const { checker } = q;
  const lineOf = (n: ts.Node): string => {
    const sf = n.getSourceFile();
    return `${q.rel(sf.fileName)}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
  };
  // the declaration a user's reference resolves to → the instance
  const byDecl = new Map<ts.Node, ExportedInstance>();
  const out: ExportedInstance[] = [];
  const add = (module: string, name: string, form: InstanceForm, value: ts.Node, at: ts.Node, decl: ts.Node | undefined): void => {
    const cls = q.classOf(checker.getTypeAtLocation(value));
    if (!cls || !decl || byDecl.has(decl)) return;
    const x: ExportedInstance = { module, name, class: cls.name?.text ?? '(anonymous)', form, at: lineOf(at), users: [], valueReads: [] };
    byDecl.set(decl, x);
    out.push(x);
  };
  for (const sf of q.files) {
    const module = q.legacyModuleOf(q.rel(sf.fileName));
    if (module === undefined) continue;
    // undefined: a CommonJS module whose exports are decided at run time (strangle refuses it, and init says so: strangle/refusal.ts)
    for (const v of exportedValues(ts, checker, sf) ?? []) add(module, v.name, v.form, v.value, v.at, v.decl);
  }
  if (out.length === 0) return { instances: out, declarations: new Set() };
  // every reference from a file that stays
  for (const sf of q.files) {
    const file = q.rel(sf.fileName);
    if (q.legacyModuleOf(file) !== undefined) continue;
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n)) {
        // in `{ m }` the value is asked for, not the property
        const s = ts.isShorthandPropertyAssignment(n.parent) && n.parent.name === n ? checker.getShorthandAssignmentValueSymbol(n.parent) : checker.getSymbolAtLocation(n);
        const d = s ? resolved(checker, s).valueDeclaration : undefined;
        const x = d ? byDecl.get(d) : undefined;
        if (x) {
          if (!x.users.includes(file)) x.users.push(file);
          // `api.m` (a property of a default-exported object) is read as a whole
          const read = ts.isPropertyAccessExpression(n.parent) && n.parent.name === n ? n.parent : n;
          if (!isBinding(n) && !isMemberAccess(read)) x.valueReads.push(lineOf(n));
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  for (const x of out) x.users.sort();
  out.sort((a, b) => a.module.localeCompare(b.module) || a.name.localeCompare(b.name));
  return { instances: out, declarations: new Set(byDecl.keys()) };
}

/** Where a name is bound (an import or export clause, `const m = require(…)`, a destructured name), not read. */
function isBinding(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p) || ts.isExportSpecifier(p) || ts.isImportEqualsDeclaration(p)) return true;
  if ((ts.isVariableDeclaration(p) || ts.isBindingElement(p)) && p.name === id) return true;
  return ts.isBindingElement(p) && p.propertyName === id;
}

/** `m.send(…)`, `m.count`, `m['x']`: a member of the instance, which classes[] templates take. */
function isMemberAccess(id: ts.Node): boolean {
  const p = id.parent;
  return (ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === id;
}
