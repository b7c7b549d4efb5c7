/**
 * The state of one file's rewrite (rewrite-imports): its text, tree, scope index, the edits and
 * problems so far, and how a legacy binding becomes a canonical one. The forms are rewritten by
 * imports.ts (import declarations), exports.ts (export … from) and module-values.ts (require,
 * import(), import('…').T); `import * as ns` and other whole-module bindings are here, since all
 * three meet them.
 */
import { heldModuleEscapes, removeAdaptersWorksIn } from '../legacy-use/left-loads.js';
import ts from '../engine/ts-api.js';
import type { LegacyTarget } from '../engine/context.js';
import { moduleReferences } from '../engine/import-forms.js';
import { findTopLevelDeclaration } from '../engine/delete-declaration.js';
import { isTypePosition, NameIndex } from '../engine/scope.js';
import { detectImportStyle, quoteOf, type ImportStyle } from '../engine/import-style.js';
import { detectEol, lineColumn, statementLineRange } from '../engine/text.js';
import type { PhaseRuntime, TransformInput, TransformOutput } from '../engine/transform.js';
import type { Edit, Problem } from '../engine/types.js';
import { rewriteExportDeclarations } from './exports.js';
import { rewriteImportDeclarations } from './imports.js';
import { rewriteExpressions } from './module-values.js';
import { contextFacts, mapRenames } from './facts.js';
import { TargetClassifier, type Target } from './targets.js';
import { stringLiteral } from '../engine/literal.js';

export interface PlannedDecl {
  decl: ts.ImportDeclaration | ts.ExportDeclaration;
  /** Every part of the declaration moves to the canonical module. */
  whole: boolean;
  /** Edits removing only the moved parts (when not whole). */
  partEdits: Edit[];
}

export class ImportRewriter {
  readonly text: string;
  readonly sf: ts.SourceFile;
  readonly eol: string;
  readonly targets: TargetClassifier;
  readonly edits: Edit[] = [];
  readonly problems: Problem[] = [];
  /** The declarations and references of the names the rewrite asks about (engine/scope.ts). */
  readonly names: NameIndex;
  /** Names this file will take from the canonical module (checked against canonical.exports). */
  readonly usedCanonicalNames = new Set<string>();

  constructor(
    readonly input: TransformInput,
    readonly rt: PhaseRuntime,
  ) {
    this.text = input.text;
    this.sf = input.sf;
    this.eol = detectEol(input.text);
    this.targets = new TargetClassifier(rt, input.file);
    this.names = new NameIndex(input.sf);
  }

  private styleCache?: ImportStyle;
  /** How this file writes its imports (and the repo's formatter configuration). */
  get style(): ImportStyle {
    return (this.styleCache ??= detectImportStyle(this.sf, this.text, this.eol, this.rt.ctx.style));
  }

  /** For a module of free functions (functions[]): where the missing decision goes. */
  freeFunctionHint(legacy: { moduleId: string }): string {
    const i = this.rt.ctx.functionModules.indexOf(legacy.moduleId);
    return i === -1 ? '' : ' (a free function of a functions[] module: give it a template in functions[].templates, remove-adapters then rewrites its calls)';
  }

  /**
   * Whether remove-adapters still has work in this legacy module (an instance it exports whole, a
   * class's members, a factory, a free function's template): then the module as a whole value has
   * no canonical counterpart, and a load that hands it on stays where it is.
   */
  removeAdaptersWorksIn(legacy: LegacyTarget): boolean {
    return removeAdaptersWorksIn(this.rt.ctx, legacy.moduleId);
  }

  /** A name remove-adapters rewrites at each use: this phase leaves its import alone and says so. */
  deferToRemoveAdapters(at: ts.Node, name: string, legacyId: string): void {
    this.problem('deferred', at, `${name} from legacy ${legacyId} is an entry point remove-adapters rewrites (a factory, an adapter, an exported instance or a free function's template); left for remove-adapters`);
  }

  problem(code: string, node: ts.Node, message: string): void {
    const { line, column } = lineColumn(this.text, node.getStart(this.sf));
    this.problems.push({ code, message, line, column });
  }

  run(): TransformOutput {
    if (this.targets.isCanonicalOwnFile()) return { edits: [], problems: [], skip: 'part of the canonical module' };
    const own = this.targets.legacyOfFile();
    if (own) return { edits: [], problems: [], skip: `legacy module ${own.id} (owned by the strangle and remove-shim phases)` };
    const legacyImports: Array<{ decl: ts.ImportDeclaration; legacy: LegacyTarget }> = [];
    const legacyExports: Array<{ decl: ts.ExportDeclaration; legacy: LegacyTarget }> = [];
    const canonicalImports: ts.ImportDeclaration[] = [];
    const canonicalExports: ts.ExportDeclaration[] = [];
    const targetOf = (spec: ts.Expression | undefined): Target | undefined =>
      spec && ts.isStringLiteral(spec) ? this.targets.classify(spec.text) : undefined;

    // a declaration the manifest deletes (deletions[].declaration) goes with remove-shim: not rewritten
    // by a loop, not flatMap(): most files have no names, and flatMap() of an empty array still cost ~1% of the rewrite
    const scheduled: ts.Statement[] = [];
    for (const n of contextFacts(this.rt.ctx).scheduledDeclarations?.get(this.input.file) ?? []) {
      const found = findTopLevelDeclaration(this.sf, n);
      if (found && !('error' in found)) for (const st of found.statements) scheduled.push(st);
    }
    // filtered only when there is something to leave out (most files: nothing; the filter's closures were ~1% of the rewrite)
    const all = moduleReferences(this.sf);
    const refs = scheduled.length === 0 ? all : all.filter((ref) => !scheduled.some((st) => ref.node.pos >= st.pos && ref.node.end <= st.end));
    // import / export-from / import-equals declarations are rewritten at the top level only
    for (const ref of refs) {
      if (ref.node.parent !== this.sf) continue;
      const st = ref.node;
      if (ts.isImportDeclaration(st)) {
        const t = targetOf(st.moduleSpecifier);
        if (t?.kind === 'legacy') legacyImports.push({ decl: st, legacy: t.legacy });
        else if (t?.kind === 'canonical') canonicalImports.push(st);
      } else if (ts.isExportDeclaration(st)) {
        const t = targetOf(st.moduleSpecifier);
        if (t?.kind === 'legacy') legacyExports.push({ decl: st, legacy: t.legacy });
        else if (t?.kind === 'canonical') canonicalExports.push(st);
      } else if (ts.isImportEqualsDeclaration(st)) {
        const t = targetOf(ref.literal);
        if (t?.kind === 'legacy') this.rewriteNamespaceLike(st.name, ref.literal as ts.StringLiteral, t.legacy, st);
      }
    }

    rewriteImportDeclarations(this, legacyImports, canonicalImports);
    rewriteExportDeclarations(this, legacyExports, canonicalExports);
    rewriteExpressions(this, refs);

    const exported = contextFacts(this.rt.ctx).canonicalExports;
    if (exported.size > 0)
      for (const name of this.usedCanonicalNames)
        if (!exported.has(name))
          this.problems.push({
            code: 'missing-export',
            message: `rewritten name ${name} is not exported by the canonical module (${this.canonicalLabel()})`,
            line: 1,
            column: 1,
          });
    return { edits: this.edits, problems: this.problems };
  }

  canonicalLabel(): string {
    return this.rt.ctx.canonical.specifier ?? this.rt.ctx.canonical.moduleId ?? '?';
  }

  /** The canonical specifier, quoted like the literal it replaces. */
  quotedCanonical(literal: ts.StringLiteral): string {
    return stringLiteral(this.targets.canonicalSpecifier(literal.text), quoteOf(literal, this.sf));
  }

  retarget(literal: ts.StringLiteral): void {
    this.edits.push({ start: literal.getStart(this.sf), end: literal.end, text: this.quotedCanonical(literal) });
  }

  semicolonOf(st: ts.Statement): string {
    return this.text[st.end - 1] === ';' ? ';' : '';
  }

  removeStatement(st: ts.Statement): void {
    const r = statementLineRange(this.text, st.getStart(this.sf), st.end);
    this.edits.push({ start: r.start, end: r.end, text: '' });
  }

  // ---- names -------------------------------------------------------------------------------

  declaredCount(name: string): number {
    return this.names.declared(name).length;
  }

  /**
   * How a legacy binding (importing legacy `imported`) becomes a canonical binding: keep an
   * explicit alias as is; otherwise take the canonical name and rename the references that
   * resolve to the import (a parameter or inner variable of the same name is another binding
   * and keeps its name), unless the canonical name is taken in the file, in which case alias
   * the canonical name to the old local name (no reference changes at all). An alias that is a
   * legacy name (`X as X` left by earlier tools, `Y as X`) is not a choice worth keeping: it
   * would keep the legacy name alive in the file, so it is renamed like an unaliased binding;
   * `keptLegacyAlias` says when the canonical name is taken and the legacy alias stays.
   */
  planBinding(imported: string, binding: ts.Identifier, aliased: boolean, canonicalBindings: Set<string>): { alias: string; rename: boolean; keptLegacyAlias?: true } {
    const local = binding.text;
    const canon = this.canonicalNameFor(imported);
    if (local === canon) return { alias: local, rename: false };
    const legacyAlias = aliased && this.isLegacyName(local);
    if (aliased && !legacyAlias) return { alias: local, rename: false };
    const canonDeclared = this.declaredCount(canon);
    const canonRefs = this.names.references(canon).length;
    const taken = canonicalBindings.has(canon) ? canonDeclared > 1 : canonDeclared > 0 || canonRefs > 0;
    if (taken) return legacyAlias ? { alias: local, rename: false, keptLegacyAlias: true } : { alias: local, rename: false };
    return { alias: canon, rename: true };
  }

  /**
   * Why a legacy binding must stay as it is (PhaseContext.heldCasts): a cast names it as the type
   * of a place still holding a legacy instance. Reported as deferred: remove-adapters retypes the
   * cast once a constructions[] entry rewrites the construction, or marks it.
   */
  held(binding: ts.Identifier, node: ts.Node): boolean {
    const why = this.rt.ctx.heldCasts?.[this.input.file]?.[binding.text];
    if (why !== undefined) this.problem('deferred', node, `${binding.text} stays on its legacy module: ${why}`);
    return why !== undefined;
  }

  /** A name some legacy module exports per the manifest's symbol maps (`default` is no name). */
  isLegacyName(name: string): boolean {
    return contextFacts(this.rt.ctx).legacyNames.has(name);
  }

  currentSymbols: Record<string, string> = {};
  canonicalNameFor(imported: string): string {
    return this.currentSymbols[imported] ?? imported;
  }

  private checkerCache?: ts.TypeChecker;
  /**
   * TypeScript's binder and checker over this one file (no lib, no module resolution): what a
   * name refers to, scope by scope, exactly as the compiler sees it. Built only when a name is
   * declared more than once in the file.
   */
  private checker(): ts.TypeChecker {
    if (this.checkerCache) return this.checkerCache;
    const sf = this.sf;
    const host: ts.CompilerHost = {
      getSourceFile: (n) => (n === sf.fileName || n.endsWith(`/${sf.fileName}`) ? sf : undefined),
      getDefaultLibFileName: () => 'lib.d.ts',
      writeFile: () => undefined,
      getCurrentDirectory: () => '/',
      getDirectories: () => [],
      fileExists: (n) => n === sf.fileName || n.endsWith(`/${sf.fileName}`),
      readFile: () => undefined,
      getCanonicalFileName: (n) => n,
      useCaseSensitiveFileNames: () => true,
      getNewLine: () => this.eol,
    };
    const program = ts.createProgram({ rootNames: [sf.fileName], options: { noLib: true, noResolve: true, types: [], allowJs: true }, host });
    return (this.checkerCache = program.getTypeChecker());
  }

  /**
   * The identifiers that refer to the binding `binding` declares (an import's local name, a
   * namespace, a variable, a parameter), within `within` when given. A name declared once in
   * the file is its every reference; otherwise the checker resolves each one.
   */
  referencesOf(binding: ts.Identifier, within?: ts.Node): ts.Identifier[] {
    const inside = (id: ts.Node): boolean => !within || (id.pos >= within.pos && id.end <= within.end);
    const refs = this.names.references(binding.text).filter(inside);
    if (this.declaredCount(binding.text) === 1) return refs;
    const c = this.checker();
    const target = c.getSymbolAtLocation(binding);
    if (!target) return refs;
    return refs.filter((id) => {
      const p = id.parent;
      const sym = ts.isShorthandPropertyAssignment(p) && p.name === id ? c.getShorthandAssignmentValueSymbol(p)
        : ts.isExportSpecifier(p) ? c.getExportSpecifierLocalTargetSymbol(p)
        : c.getSymbolAtLocation(id);
      return sym === target;
    });
  }

  /** Rename references of an import binding, keeping shorthand properties and local re-exports meaning the same. */
  renameReferences(refs: readonly ts.Identifier[], from: string, to: string): void {
    for (const id of refs) {
      const p = id.parent;
      const start = id.getStart(this.sf);
      if (ts.isShorthandPropertyAssignment(p) && p.name === id) this.edits.push({ start, end: id.end, text: `${from}: ${to}` });
      else if (ts.isExportSpecifier(p) && p.propertyName === undefined) this.edits.push({ start, end: id.end, text: `${to} as ${from}` });
      else this.edits.push({ start, end: id.end, text: to });
    }
  }

  // ---- namespace-like bindings (import * as ns, import ns = require, const ns = require/await import) ----

  /**
   * A binding holding the whole legacy module keeps its form and is pointed at the canonical
   * module; its member uses are renamed where the symbol map renames (`ns.Unified...` becomes
   * `ns.WebSocketManager`). When the binding escapes (used other than as `ns.member`) and the
   * map renames anything, the object's shape would change under its users, so it is left
   * unchanged and reported.
   */
  rewriteNamespaceLike(binding: ts.Identifier, literal: ts.StringLiteral | undefined, legacy: LegacyTarget, at: ts.Node, within?: ts.Node): boolean {
    if (this.held(binding, at)) return false;
    const name = binding.text;
    const renames = mapRenames(legacy);
    const memberEdits: Edit[] = [];
    let unmapped: string | undefined;
    const refs = this.referencesOf(binding, within);
    // nothing reads the binding: the load goes with its statement, rather than leave a binding of the
    // canonical module under the legacy module's name (retargeting would drop the legacy load as well)
    if (refs.length === 0) {
      const st = unusedLoadStatement(at);
      if (st) {
        this.removeStatement(st);
        return false;
      }
    }
    // used other than as `ns.member`, as legacy-use/left-loads.ts reads it (discover reports such a load the same way)
    const escapes = heldModuleEscapes(refs);
    for (const id of refs) {
      const p = id.parent;
      const member = ts.isPropertyAccessExpression(p) && p.expression === id ? p.name : ts.isQualifiedName(p) && p.left === id ? p.right : undefined;
      if (!member || !ts.isIdentifier(member)) continue;
      const canon = legacy.symbols[member.text];
      if (canon === undefined || this.rt.ctx.deferred[legacy.moduleId]?.includes(member.text)) {
        unmapped ??= member.text;
        continue;
      }
      if (this.rt.ctx.canonical.kinds[canon] === 'type' && !isTypePosition(member)) {
        this.problem('kind-mismatch', at, `${name}.${member.text} is used as a value but canonical ${canon} is a type only; left unchanged`);
        return false;
      }
      this.usedCanonicalNames.add(canon);
      if (canon !== member.text) memberEdits.push({ start: member.getStart(this.sf), end: member.end, text: canon });
    }
    if (escapes && renames) {
      this.problem('needs-review', at, `module object ${name} of legacy ${legacy.id} is used as a value and the symbol map renames members; left unchanged`);
      return false;
    }
    if (escapes && this.removeAdaptersWorksIn(legacy)) {
      this.deferToRemoveAdapters(at, `module object ${name}`, legacy.id);
      return false;
    }
    if (unmapped !== undefined) {
      // a member of the instance a CommonJS module exports whole (module.exports = new M()) is M's, rewritten by remove-adapters from classes[]
      if (this.rt.ctx.deferred[legacy.moduleId]?.includes(unmapped) || this.rt.ctx.classMembers[legacy.moduleId]?.includes(unmapped)) {
        this.deferToRemoveAdapters(at, `${name}.${unmapped}`, legacy.id);
        return false;
      }
      this.problem('unmapped-name', at, `${name}.${unmapped}: ${unmapped} has no entry in the symbol map of legacy ${legacy.id}${this.freeFunctionHint(legacy)}; left unchanged`);
      return false;
    }
    this.edits.push(...memberEdits);
    if (literal) this.retarget(literal);
    return true;
  }
}

/**
 * The statement that only loads a module into one binding, so that removing it removes nothing
 * else: `import * as ns from L`, `import ns = require(L)` (not exported), or a `const`/`let`/`var`
 * statement of that one declarator (`const ns = require(L)`, `= await import(L)`), not exported.
 * undefined for anything else (a callback's parameter, a declarator among others, an export).
 */
function unusedLoadStatement(at: ts.Node): ts.Statement | undefined {
  const exported = (st: ts.Statement): boolean => ts.canHaveModifiers(st) && (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  if (ts.isImportDeclaration(at)) return at.importClause?.name === undefined && !at.importClause?.isTypeOnly ? at : undefined;
  if (ts.isImportEqualsDeclaration(at)) return exported(at) ? undefined : at;
  if (ts.isVariableDeclaration(at) && ts.isVariableDeclarationList(at.parent) && at.parent.declarations.length === 1 && ts.isVariableStatement(at.parent.parent)) {
    const st = at.parent.parent;
    return exported(st) ? undefined : st;
  }
  return undefined;
}
