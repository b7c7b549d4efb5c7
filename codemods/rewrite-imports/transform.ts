import ts from '../engine/ts-api.js';
import type { LegacyTarget } from '../engine/context.js';
import { mergeInto, namedElements, removeElements, renderExport, renderImport, type NamedSpec } from '../engine/named-list.js';
import { buildScopeIndex, isTypePosition, type ScopeIndex } from '../engine/scope.js';
import { detectEol, lineColumn, statementLineRange } from '../engine/text.js';
import type { PhaseRuntime, SyntaxTransform, TransformInput, TransformOutput } from '../engine/transform.js';
import type { Edit, Problem } from '../engine/types.js';
import { TargetClassifier, type Target } from './targets.js';

/**
 * Phase 3: every import form that reaches a legacy module is pointed at the canonical module
 * and name (see codemods/README.md for each form's rule). The transform only emits splices on
 * the original text; the engine applies them and checks the result still parses.
 */
export const rewriteImportsTransform: SyntaxTransform = {
  name: 'rewrite-imports',
  prefilter(text, rt) {
    for (const t of rt.ctx.prefilterTokens) if (text.includes(t)) return true;
    return false;
  },
  transform(input, rt) {
    return new ImportRewriter(input, rt).run();
  },
};

interface PlannedDecl {
  decl: ts.ImportDeclaration | ts.ExportDeclaration;
  /** Every part of the declaration moves to the canonical module. */
  whole: boolean;
  /** Edits removing only the moved parts (when not whole). */
  partEdits: Edit[];
}

class ImportRewriter {
  private readonly text: string;
  private readonly sf: ts.SourceFile;
  private readonly eol: string;
  private readonly targets: TargetClassifier;
  private readonly edits: Edit[] = [];
  private readonly problems: Problem[] = [];
  private scope!: ScopeIndex;
  /** Names this file will take from the canonical module (checked against canonical.exports). */
  private readonly usedCanonicalNames = new Set<string>();

  constructor(
    input: TransformInput,
    private readonly rt: PhaseRuntime,
  ) {
    this.text = input.text;
    this.sf = input.sf;
    this.eol = detectEol(input.text);
    this.targets = new TargetClassifier(rt, input.file);
  }

  private problem(code: string, node: ts.Node, message: string): void {
    const { line, column } = lineColumn(this.text, node.getStart(this.sf));
    this.problems.push({ code, message, line, column });
  }

  run(): TransformOutput {
    if (this.targets.isCanonicalOwnFile()) return { edits: [], problems: [], skip: 'part of the canonical module' };
    const own = this.targets.legacyOfFile();
    if (own) return { edits: [], problems: [], skip: `legacy module ${own.id} (owned by the strangle and remove-shim phases)` };
    this.scope = buildScopeIndex(this.sf);

    const legacyImports: Array<{ decl: ts.ImportDeclaration; legacy: LegacyTarget }> = [];
    const legacyExports: Array<{ decl: ts.ExportDeclaration; legacy: LegacyTarget }> = [];
    const canonicalImports: ts.ImportDeclaration[] = [];
    const canonicalExports: ts.ExportDeclaration[] = [];
    const targetOf = (spec: ts.Expression | undefined): Target | undefined =>
      spec && ts.isStringLiteral(spec) ? this.targets.classify(spec.text) : undefined;

    for (const st of this.sf.statements) {
      if (ts.isImportDeclaration(st)) {
        const t = targetOf(st.moduleSpecifier);
        if (t?.kind === 'legacy') legacyImports.push({ decl: st, legacy: t.legacy });
        else if (t?.kind === 'canonical') canonicalImports.push(st);
      } else if (ts.isExportDeclaration(st) && st.moduleSpecifier) {
        const t = targetOf(st.moduleSpecifier);
        if (t?.kind === 'legacy') legacyExports.push({ decl: st, legacy: t.legacy });
        else if (t?.kind === 'canonical') canonicalExports.push(st);
      } else if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference)) {
        const t = targetOf(st.moduleReference.expression);
        if (t?.kind === 'legacy') this.rewriteNamespaceLike(st.name.text, st.moduleReference.expression as ts.StringLiteral, t.legacy, st);
      }
    }

    this.rewriteImportDeclarations(legacyImports, canonicalImports);
    this.rewriteExportDeclarations(legacyExports, canonicalExports);
    this.rewriteExpressions();

    const exported = new Set(this.rt.ctx.canonical.exports);
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

  private canonicalLabel(): string {
    return this.rt.ctx.canonical.specifier ?? this.rt.ctx.canonical.moduleId ?? '?';
  }

  /** The canonical specifier, quoted like the literal it replaces. */
  private quotedCanonical(literal: ts.StringLiteral): string {
    const q = literal.getText(this.sf)[0] === '"' ? '"' : "'";
    return q + this.targets.canonicalSpecifier(literal.text) + q;
  }

  private retarget(literal: ts.StringLiteral): void {
    this.edits.push({ start: literal.getStart(this.sf), end: literal.end, text: this.quotedCanonical(literal) });
  }

  private semicolonOf(st: ts.Statement): string {
    return this.text[st.end - 1] === ';' ? ';' : '';
  }

  private removeStatement(st: ts.Statement): void {
    const r = statementLineRange(this.text, st.getStart(this.sf), st.end);
    this.edits.push({ start: r.start, end: r.end, text: '' });
  }

  // ---- names -------------------------------------------------------------------------------

  private declaredCount(name: string): number {
    return this.scope.declared.get(name)?.length ?? 0;
  }

  /**
   * How a legacy binding `local` (importing legacy `imported`) becomes a canonical binding:
   * keep an explicit alias as is; otherwise take the canonical name and rename the file's
   * references, unless that name is taken or the legacy name is shadowed somewhere, in which
   * case alias the canonical name to the old local name (no reference changes at all).
   */
  private planBinding(imported: string, local: string, aliased: boolean, canonicalBindings: Set<string>): { alias: string; rename: boolean } {
    if (aliased || local === this.canonicalNameFor(imported)) return { alias: local, rename: false };
    const canon = this.canonicalNameFor(imported);
    const shadowed = this.declaredCount(local) !== 1;
    const canonDeclared = this.declaredCount(canon);
    const canonRefs = this.scope.references.get(canon)?.length ?? 0;
    const taken = canonicalBindings.has(canon) ? canonDeclared > 1 : canonDeclared > 0 || canonRefs > 0;
    if (shadowed || taken) return { alias: local, rename: false };
    return { alias: canon, rename: true };
  }

  private currentSymbols: Record<string, string> = {};
  private canonicalNameFor(imported: string): string {
    return this.currentSymbols[imported] ?? imported;
  }

  /** Rename the references of an import binding, keeping shorthand properties and local re-exports meaning the same. */
  private renameReferences(from: string, to: string): void {
    for (const id of this.scope.references.get(from) ?? []) {
      const p = id.parent;
      const start = id.getStart(this.sf);
      if (ts.isShorthandPropertyAssignment(p) && p.name === id) this.edits.push({ start, end: id.end, text: `${from}: ${to}` });
      else if (ts.isExportSpecifier(p) && p.propertyName === undefined) this.edits.push({ start, end: id.end, text: `${to} as ${from}` });
      else this.edits.push({ start, end: id.end, text: to });
    }
  }

  // ---- import declarations --------------------------------------------------------------------

  private rewriteImportDeclarations(
    legacyImports: Array<{ decl: ts.ImportDeclaration; legacy: LegacyTarget }>,
    canonicalImports: ts.ImportDeclaration[],
  ): void {
    if (legacyImports.length === 0) return;
    // bindings that already are (or will be) canonical imports of the same name
    const canonicalBindings = new Set<string>();
    for (const d of canonicalImports) for (const el of namedElements(d) ?? []) if ((el.propertyName ?? el.name).text === el.name.text) canonicalBindings.add(el.name.text);
    for (const { decl, legacy } of legacyImports) {
      const nb = decl.importClause?.namedBindings;
      if (nb && ts.isNamedImports(nb))
        for (const el of nb.elements) if (legacy.symbols[(el.propertyName ?? el.name).text] === el.name.text) canonicalBindings.add(el.name.text);
    }

    const specs: NamedSpec[] = [];
    const planned: PlannedDecl[] = [];
    const sideEffects: ts.ImportDeclaration[] = [];
    for (const { decl, legacy } of legacyImports) {
      this.currentSymbols = legacy.symbols;
      const clause = decl.importClause;
      if (!clause) {
        sideEffects.push(decl);
        continue;
      }
      const nb = clause.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) {
        if (clause.name) {
          this.problem('needs-review', decl, `default plus namespace import of legacy ${legacy.id} left unchanged`);
          continue;
        }
        this.rewriteNamespaceLike(nb.name.text, decl.moduleSpecifier as ts.StringLiteral, legacy, decl);
        continue;
      }
      const moved = new Set<ts.Node>();
      let movedDefault = false;
      const take = (imported: string, local: string, aliased: boolean, typeOnly: boolean, node: ts.Node): boolean => {
        // typeOnly may be narrowed below when the canonical name is a type
        if (this.rt.ctx.deferred[legacy.moduleId]?.includes(imported)) {
          this.problem('deferred', node, `${imported} from legacy ${legacy.id} is a factory/adapter entry point; left for remove-adapters`);
          return false;
        }
        const canon = legacy.symbols[imported];
        if (canon === undefined) {
          this.problem('unmapped-name', node, `${imported} from legacy ${legacy.id} has no entry in the manifest symbol map; left unchanged`);
          return false;
        }
        if (!typeOnly && this.rt.ctx.canonical.kinds[canon] === 'type') {
          const refs = this.scope.references.get(local) ?? [];
          if (refs.some((r) => !isTypePosition(r))) {
            this.problem('kind-mismatch', node, `${local} is used as a value but canonical ${canon} is a type only; left unchanged`);
            return false;
          }
          typeOnly = true;
        }
        const plan = this.planBinding(imported, local, aliased, canonicalBindings);
        if (plan.rename) this.renameReferences(local, canon);
        specs.push({ name: canon, alias: plan.alias, typeOnly });
        this.usedCanonicalNames.add(canon);
        return true;
      };
      if (clause.name) movedDefault = take('default', clause.name.text, true, clause.isTypeOnly, clause.name);
      const elements = nb && ts.isNamedImports(nb) ? nb.elements : undefined;
      for (const el of elements ?? []) {
        const imported = (el.propertyName ?? el.name).text;
        if (take(imported, el.name.text, el.propertyName !== undefined, clause.isTypeOnly || el.isTypeOnly, el)) moved.add(el);
      }
      const defaultKept = clause.name !== undefined && !movedDefault;
      const namedKept = (elements?.length ?? 0) - moved.size;
      const anyMoved = movedDefault || moved.size > 0;
      if (!anyMoved) continue;
      if (!defaultKept && namedKept === 0) {
        planned.push({ decl, whole: true, partEdits: [] });
        continue;
      }
      const partEdits: Edit[] = [];
      if (movedDefault) partEdits.push({ start: clause.name!.getStart(this.sf), end: nb!.getStart(this.sf), text: '' });
      if (elements && moved.size > 0) {
        if (namedKept === 0) partEdits.push({ start: clause.name!.end, end: nb!.end, text: '' });
        else partEdits.push(...removeElements(elements, moved));
      }
      planned.push({ decl, whole: false, partEdits });
    }

    const target = canonicalImports.find((d) => mergeInto(d, [], this.text, this.eol) !== undefined);
    if (specs.length > 0) {
      const merged = target ? mergeInto(target, dedupe(specs), this.text, this.eol) : undefined;
      if (merged) this.edits.push(...merged);
      else {
        const anchor = planned[0]!;
        const decl = anchor.decl as ts.ImportDeclaration;
        const rendered = renderImport(dedupe(specs), this.quotedCanonical(decl.moduleSpecifier as ts.StringLiteral), this.semicolonOf(decl));
        if (anchor.whole) {
          this.edits.push({ start: decl.getStart(this.sf), end: decl.end, text: rendered });
          planned.shift();
        } else this.edits.push({ start: decl.end, end: decl.end, text: this.eol + rendered });
      }
    }
    for (const p of planned) {
      if (p.whole) this.removeStatement(p.decl);
      else this.edits.push(...p.partEdits);
    }
    const canonicalPresent = canonicalImports.length > 0 || specs.length > 0;
    sideEffects.forEach((decl, i) => {
      if (canonicalPresent || i > 0) this.removeStatement(decl);
      else this.retarget(decl.moduleSpecifier as ts.StringLiteral);
    });
  }

  // ---- namespace-like bindings (import * as ns, import ns = require, const ns = require/await import) ----

  /**
   * A binding holding the whole legacy module keeps its form and is pointed at the canonical
   * module; its member uses are renamed where the symbol map renames (`ns.Unified...` becomes
   * `ns.WebSocketManager`). When the binding escapes (used other than as `ns.member`) and the
   * map renames anything, the object's shape would change under its users, so it is left
   * unchanged and reported.
   */
  private rewriteNamespaceLike(name: string, literal: ts.StringLiteral | undefined, legacy: LegacyTarget, at: ts.Node, within?: ts.Node): boolean {
    const renames = Object.entries(legacy.symbols).some(([a, b]) => a !== b);
    const inside = (id: ts.Node): boolean => !within || (id.pos >= within.pos && id.end <= within.end);
    if ((this.scope.declared.get(name) ?? []).filter(inside).length !== 1) {
      this.problem('needs-review', at, `module binding ${name} of legacy ${legacy.id} is shadowed; left unchanged`);
      return false;
    }
    const memberEdits: Edit[] = [];
    let escapes = false;
    let unmapped: string | undefined;
    for (const id of this.scope.references.get(name) ?? []) {
      if (!inside(id)) continue;
      const p = id.parent;
      const member = ts.isPropertyAccessExpression(p) && p.expression === id ? p.name : ts.isQualifiedName(p) && p.left === id ? p.right : undefined;
      if (!member || !ts.isIdentifier(member)) {
        escapes = true;
        continue;
      }
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
    if (unmapped !== undefined) {
      this.problem('unmapped-name', at, `${name}.${unmapped}: ${unmapped} has no entry in the symbol map of legacy ${legacy.id}; left unchanged`);
      return false;
    }
    this.edits.push(...memberEdits);
    if (literal) this.retarget(literal);
    return true;
  }

  // ---- export ... from ------------------------------------------------------------------------

  private rewriteExportDeclarations(
    legacyExports: Array<{ decl: ts.ExportDeclaration; legacy: LegacyTarget }>,
    canonicalExports: ts.ExportDeclaration[],
  ): void {
    if (legacyExports.length === 0) return;
    const localExports = this.localExportNames();
    let starPresent = canonicalExports.some((d) => !d.exportClause && !d.isTypeOnly);
    const specs: NamedSpec[] = [];
    const planned: PlannedDecl[] = [];
    const starReplacements: Array<{ decl: ts.ExportDeclaration; text: string | undefined }> = [];
    for (const { decl, legacy } of legacyExports) {
      const clause = decl.exportClause;
      const literal = decl.moduleSpecifier as ts.StringLiteral;
      if (!clause) {
        // `export * from legacy` → `export * from canonical` plus explicit re-exports under the
        // legacy names the map renames, so this module's public surface keeps every known name.
        const keep: string[] = [];
        for (const [from, to] of Object.entries(legacy.symbols)) {
          if (from === 'default' || localExports.has(from)) continue;
          if (this.keepOnLegacy(legacy, from, to)) {
            keep.push(from);
            continue;
          }
          this.usedCanonicalNames.add(to);
          if (from === to) continue;
          specs.push({ name: to, alias: from, typeOnly: decl.isTypeOnly || this.rt.ctx.canonical.kinds[to] === 'type' });
        }
        // names the canonical module cannot supply stay re-exported from the legacy module, so nothing is lost
        const exported = new Set(this.rt.ctx.canonical.exports);
        for (const n of Object.keys(legacy.exports))
          if (n !== 'default' && legacy.symbols[n] === undefined && !localExports.has(n) && (exported.size === 0 ? false : !exported.has(n))) keep.push(n);
        const keyword = decl.isTypeOnly ? 'export type *' : 'export *';
        let text = starPresent && !decl.isTypeOnly ? undefined : `${keyword} from ${this.quotedCanonical(literal)}${this.semicolonOf(decl)}`;
        if (keep.length > 0) {
          // names a later phase owns, or values whose canonical name is only a type, stay on the legacy module
          this.problem('deferred', decl, `export * from legacy ${legacy.id}: ${keep.join(', ')} kept on the legacy module (no canonical replacement yet)`);
          const body = keep.map((n) => (!decl.isTypeOnly && legacy.exports[n] === 'type' ? `type ${n}` : n)).join(', ');
          const legacyExport = `export ${decl.isTypeOnly ? 'type ' : ''}{ ${body} } from ${literal.getText(this.sf)}${this.semicolonOf(decl)}`;
          text = text === undefined ? legacyExport : text + this.eol + legacyExport;
        }
        starReplacements.push({ decl, text });
        if (!decl.isTypeOnly) starPresent = true;
        continue;
      }
      if (ts.isNamespaceExport(clause)) {
        const renames = Object.entries(legacy.symbols).some(([a, b]) => a !== b);
        if (renames) this.problem('needs-review', decl, `export * as ${clause.name.text} from legacy ${legacy.id}: the map renames members, so the namespace shape would change; left unchanged`);
        else this.retarget(literal);
        continue;
      }
      const moved = new Set<ts.Node>();
      for (const el of clause.elements) {
        const imported = (el.propertyName ?? el.name).text;
        const canon = legacy.symbols[imported];
        if (canon === undefined) {
          this.problem('unmapped-name', el, `${imported} from legacy ${legacy.id} has no entry in the manifest symbol map; left unchanged`);
          continue;
        }
        if (this.keepOnLegacy(legacy, imported, canon) && !(decl.isTypeOnly || el.isTypeOnly)) {
          this.problem('deferred', el, `${imported}: a factory/adapter entry point or a value whose canonical name is a type; left on legacy ${legacy.id}`);
          continue;
        }
        this.usedCanonicalNames.add(canon);
        specs.push({ name: canon, alias: el.name.text, typeOnly: decl.isTypeOnly || el.isTypeOnly || this.rt.ctx.canonical.kinds[canon] === 'type' });
        moved.add(el);
      }
      if (moved.size === 0) continue;
      if (moved.size === clause.elements.length) planned.push({ decl, whole: true, partEdits: [] });
      else planned.push({ decl, whole: false, partEdits: removeElements(clause.elements, moved) });
    }

    for (const s of starReplacements) {
      if (s.text === undefined) this.removeStatement(s.decl);
      else this.edits.push({ start: s.decl.getStart(this.sf), end: s.decl.end, text: s.text });
    }
    if (specs.length > 0) {
      const target = canonicalExports.find((d) => d.exportClause !== undefined && ts.isNamedExports(d.exportClause));
      const merged = target ? mergeInto(target, dedupe(specs), this.text, this.eol) : undefined;
      if (merged) this.edits.push(...merged);
      else {
        const anchorPlan = planned[0];
        const anchorDecl = anchorPlan?.decl ?? starReplacements[0]!.decl;
        const rendered = renderExport(dedupe(specs), this.quotedCanonical(anchorDecl.moduleSpecifier as ts.StringLiteral), this.semicolonOf(anchorDecl));
        if (anchorPlan?.whole) {
          this.edits.push({ start: anchorDecl.getStart(this.sf), end: anchorDecl.end, text: rendered });
          planned.shift();
        } else this.edits.push({ start: anchorDecl.end, end: anchorDecl.end, text: this.eol + rendered });
      }
    }
    for (const p of planned) {
      if (p.whole) this.removeStatement(p.decl);
      else this.edits.push(...p.partEdits);
    }
  }

  /** Re-exports that must stay on the legacy module: later phases own them, or the canonical name cannot carry the value. */
  private keepOnLegacy(legacy: LegacyTarget, from: string, to: string): boolean {
    if (this.rt.ctx.deferred[legacy.moduleId]?.includes(from)) return true;
    return legacy.exports[from] === 'value' && this.rt.ctx.canonical.kinds[to] === 'type';
  }

  private localExportNames(): Set<string> {
    const out = new Set<string>();
    for (const st of this.sf.statements) {
      const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
      if (mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
        if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) ts.isIdentifier(d.name) && out.add(d.name.text);
        else if ('name' in st && st.name && ts.isIdentifier(st.name as ts.Node)) out.add((st.name as ts.Identifier).text);
      } else if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause))
        for (const el of st.exportClause.elements) out.add(el.name.text);
    }
    return out;
  }

  // ---- require(), import(), import('x').T ------------------------------------------------------

  private rewriteExpressions(): void {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.arguments.length === 1) {
        const arg = node.arguments[0]!;
        const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
        const isDynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
        if ((isRequire || isDynamic) && ts.isStringLiteralLike(arg) && !ts.isExternalModuleReference(node.parent)) {
          const t = this.targets.classify(arg.text);
          if (t?.kind === 'legacy') this.rewriteModuleValue(node, arg as ts.StringLiteral, t.legacy, isDynamic);
        }
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
        const t = this.targets.classify(node.argument.literal.text);
        if (t?.kind === 'legacy') this.rewriteImportType(node, node.argument.literal, t.legacy);
      }
      ts.forEachChild(node, visit);
    };
    visit(this.sf);
  }

  private rewriteImportType(node: ts.ImportTypeNode, literal: ts.StringLiteral, legacy: LegacyTarget): void {
    if (node.qualifier) {
      let first: ts.EntityName = node.qualifier;
      while (ts.isQualifiedName(first)) first = first.left;
      const canon = legacy.symbols[first.text];
      if (canon === undefined) {
        this.problem('unmapped-name', node, `import('…').${first.text}: no entry in the symbol map of legacy ${legacy.id}; left unchanged`);
        return;
      }
      this.usedCanonicalNames.add(canon);
      if (canon !== first.text) this.edits.push({ start: first.getStart(this.sf), end: first.end, text: canon });
    } else if (Object.entries(legacy.symbols).some(([a, b]) => a !== b)) {
      this.problem('needs-review', node, `typeof import() of legacy ${legacy.id}: the module type's member names change; left unchanged`);
      return;
    }
    this.retarget(literal);
  }

  /**
   * `require(L)` / `import(L)` used as a module object: destructuring renames its keys
   * (keeping local names), member access renames the member, a variable holding it is
   * handled like a namespace import in its scope, `.then(m => …)` / `.then(({ A }) => …)`
   * likewise. Anything else is retargeted only when the map renames nothing.
   */
  private rewriteModuleValue(call: ts.CallExpression, literal: ts.StringLiteral, legacy: LegacyTarget, dynamic: boolean): void {
    let value: ts.Node = call;
    while (ts.isAwaitExpression(value.parent) || ts.isParenthesizedExpression(value.parent)) value = value.parent;
    const p = value.parent;
    const renames = Object.entries(legacy.symbols).some(([a, b]) => a !== b);
    if (ts.isVariableDeclaration(p) && p.initializer === value) {
      if (ts.isObjectBindingPattern(p.name)) {
        if (this.renameBindingKeys(p.name, legacy)) this.retarget(literal);
        return;
      }
      if (ts.isIdentifier(p.name)) {
        const scope = enclosingScope(p);
        if (this.rewriteNamespaceLike(p.name.text, undefined, legacy, p, scope)) this.retarget(literal);
        return;
      }
    }
    if (ts.isPropertyAccessExpression(p) && p.expression === value) {
      if (dynamic && value === call && p.name.text === 'then') {
        this.rewriteThen(p, literal, legacy);
        return;
      }
      const canon = legacy.symbols[p.name.text];
      if (canon === undefined) {
        this.problem('unmapped-name', p, `${p.name.text}: no entry in the symbol map of legacy ${legacy.id}; left unchanged`);
        return;
      }
      this.usedCanonicalNames.add(canon);
      if (canon !== p.name.text) this.edits.push({ start: p.name.getStart(this.sf), end: p.name.end, text: canon });
      this.retarget(literal);
      return;
    }
    if (renames) {
      this.problem('needs-review', call, `${dynamic ? 'import()' : 'require()'} of legacy ${legacy.id} used as a whole module object while the map renames members; left unchanged`);
      return;
    }
    this.retarget(literal);
  }

  private rewriteThen(thenAccess: ts.PropertyAccessExpression, literal: ts.StringLiteral, legacy: LegacyTarget): void {
    const thenCall = thenAccess.parent;
    const cb = ts.isCallExpression(thenCall) ? thenCall.arguments[0] : undefined;
    const param = cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) ? cb.parameters[0] : undefined;
    const renames = Object.entries(legacy.symbols).some(([a, b]) => a !== b);
    if (param && ts.isObjectBindingPattern(param.name)) {
      if (this.renameBindingKeys(param.name, legacy)) this.retarget(literal);
      return;
    }
    if (param && ts.isIdentifier(param.name)) {
      if (this.rewriteNamespaceLike(param.name.text, undefined, legacy, param, cb)) this.retarget(literal);
      return;
    }
    if (renames) {
      this.problem('needs-review', thenAccess, `import() of legacy ${legacy.id} consumed by a callback this codemod cannot follow; left unchanged`);
      return;
    }
    this.retarget(literal);
  }

  /** `{ A, B: b }` of a legacy module object → `{ CanonA: A, CanonB: b }`; false (and a problem) if a key is unmapped. */
  private renameBindingKeys(pattern: ts.ObjectBindingPattern, legacy: LegacyTarget): boolean {
    const edits: Edit[] = [];
    for (const el of pattern.elements) {
      if (el.dotDotDotToken) {
        if (Object.entries(legacy.symbols).some(([a, b]) => a !== b)) {
          this.problem('needs-review', el, `rest element over legacy ${legacy.id} module object; left unchanged`);
          return false;
        }
        continue;
      }
      const key = el.propertyName ?? el.name;
      if (!ts.isIdentifier(key)) {
        this.problem('needs-review', el, `computed key over legacy ${legacy.id} module object; left unchanged`);
        return false;
      }
      const canon = legacy.symbols[key.text];
      if (canon === undefined) {
        this.problem('unmapped-name', el, `${key.text}: no entry in the symbol map of legacy ${legacy.id}; left unchanged`);
        return false;
      }
      this.usedCanonicalNames.add(canon);
      if (canon === key.text) continue;
      if (el.propertyName) edits.push({ start: key.getStart(this.sf), end: key.end, text: canon });
      else edits.push({ start: key.getStart(this.sf), end: key.getStart(this.sf), text: `${canon}: ` });
    }
    this.edits.push(...edits);
    return true;
  }
}

function enclosingScope(node: ts.Node): ts.Node {
  let n: ts.Node = node.parent;
  while (!ts.isSourceFile(n) && !ts.isFunctionLike(n) && !ts.isBlock(n) && !ts.isModuleBlock(n)) n = n.parent;
  return n;
}

function dedupe(specs: NamedSpec[]): NamedSpec[] {
  const out: NamedSpec[] = [];
  for (const s of specs) {
    const prev = out.find((o) => o.alias === s.alias && o.name === s.name);
    if (!prev) out.push({ ...s });
    else if (!s.typeOnly) prev.typeOnly = false;
  }
  return out;
}
