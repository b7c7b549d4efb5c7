/** rewrite-imports: `export { … } from legacy`, `export * from legacy`, `export * as ns from legacy`. */
import ts from '../engine/ts-api.js';
import type { LegacyTarget } from '../engine/context.js';
import { mergeInto, removeElements, renderExport, type NamedSpec } from '../engine/named-list.js';
import { dedupe } from './imports.js';
import type { ImportRewriter, PlannedDecl } from './rewriter.js';

export function rewriteExportDeclarations(r: ImportRewriter, legacyExports: Array<{ decl: ts.ExportDeclaration; legacy: LegacyTarget }>,
  canonicalExports: ts.ExportDeclaration[],
): void {
  if (legacyExports.length === 0) return;
  const localExports = localExportNames(r, );
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
        if (keepOnLegacy(r, legacy, from, to)) {
          keep.push(from);
          continue;
        }
        r.usedCanonicalNames.add(to);
        if (from === to) continue;
        specs.push({ name: to, alias: from, typeOnly: decl.isTypeOnly || r.rt.ctx.canonical.kinds[to] === 'type' });
      }
      // names the canonical module cannot supply stay re-exported from the legacy module, so nothing is lost
      const exported = new Set(r.rt.ctx.canonical.exports);
      for (const n of Object.keys(legacy.exports))
        if (n !== 'default' && legacy.symbols[n] === undefined && !localExports.has(n) && (exported.size === 0 ? false : !exported.has(n))) keep.push(n);
      const keyword = decl.isTypeOnly ? 'export type *' : 'export *';
      let text = starPresent && !decl.isTypeOnly ? undefined : `${keyword} from ${r.quotedCanonical(literal)}${r.semicolonOf(decl)}`;
      if (keep.length > 0) {
        // names a later phase owns, or values whose canonical name is only a type, stay on the legacy module
        r.problem('deferred', decl, `export * from legacy ${legacy.id}: ${keep.join(', ')} kept on the legacy module (no canonical replacement yet)`);
        const body = keep.map((n) => (!decl.isTypeOnly && legacy.exports[n] === 'type' ? `type ${n}` : n)).join(', ');
        const legacyExport = `export ${decl.isTypeOnly ? 'type ' : ''}{ ${body} } from ${literal.getText(r.sf)}${r.semicolonOf(decl)}`;
        text = text === undefined ? legacyExport : text + r.eol + legacyExport;
      }
      starReplacements.push({ decl, text });
      if (!decl.isTypeOnly) starPresent = true;
      continue;
    }
    if (ts.isNamespaceExport(clause)) {
      const renames = Object.entries(legacy.symbols).some(([a, b]) => a !== b);
      if (renames) r.problem('needs-review', decl, `export * as ${clause.name.text} from legacy ${legacy.id}: the map renames members, so the namespace shape would change; left unchanged`);
      else r.retarget(literal);
      continue;
    }
    const moved = new Set<ts.Node>();
    for (const el of clause.elements) {
      const imported = (el.propertyName ?? el.name).text;
      const canon = legacy.symbols[imported];
      if (canon === undefined) {
        r.problem('unmapped-name', el, `${imported} from legacy ${legacy.id} has no entry in the manifest symbol map; left unchanged`);
        continue;
      }
      if (keepOnLegacy(r, legacy, imported, canon) && !(decl.isTypeOnly || el.isTypeOnly)) {
        r.problem('deferred', el, `${imported}: a factory/adapter entry point or a value whose canonical name is a type; left on legacy ${legacy.id}`);
        continue;
      }
      r.usedCanonicalNames.add(canon);
      specs.push({ name: canon, alias: el.name.text, typeOnly: decl.isTypeOnly || el.isTypeOnly || r.rt.ctx.canonical.kinds[canon] === 'type' });
      moved.add(el);
    }
    if (moved.size === 0) continue;
    if (moved.size === clause.elements.length) planned.push({ decl, whole: true, partEdits: [] });
    else planned.push({ decl, whole: false, partEdits: removeElements(clause.elements, moved) });
  }

  for (const s of starReplacements) {
    if (s.text === undefined) r.removeStatement(s.decl);
    else r.edits.push({ start: s.decl.getStart(r.sf), end: s.decl.end, text: s.text });
  }
  if (specs.length > 0) {
    const target = canonicalExports.find((d) => d.exportClause !== undefined && ts.isNamedExports(d.exportClause));
    const merged = target ? mergeInto(target, dedupe(specs), r.text, r.eol) : undefined;
    if (merged) r.edits.push(...merged);
    else {
      const anchorPlan = planned[0];
      const anchorDecl = anchorPlan?.decl ?? starReplacements[0]!.decl;
      const rendered = renderExport(dedupe(specs), r.quotedCanonical(anchorDecl.moduleSpecifier as ts.StringLiteral), r.semicolonOf(anchorDecl));
      if (anchorPlan?.whole) {
        r.edits.push({ start: anchorDecl.getStart(r.sf), end: anchorDecl.end, text: rendered });
        planned.shift();
      } else r.edits.push({ start: anchorDecl.end, end: anchorDecl.end, text: r.eol + rendered });
    }
  }
  for (const p of planned) {
    if (p.whole) r.removeStatement(p.decl);
    else r.edits.push(...p.partEdits);
  }
}

/** Re-exports that must stay on the legacy module: later phases own them, or the canonical name cannot carry the value. */
export function keepOnLegacy(r: ImportRewriter, legacy: LegacyTarget, from: string, to: string): boolean {
  if (r.rt.ctx.deferred[legacy.moduleId]?.includes(from)) return true;
  return legacy.exports[from] === 'value' && r.rt.ctx.canonical.kinds[to] === 'type';
}

export function localExportNames(r: ImportRewriter): Set<string> {
  const out = new Set<string>();
  for (const st of r.sf.statements) {
    const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
    if (mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) ts.isIdentifier(d.name) && out.add(d.name.text);
      else if ('name' in st && st.name && ts.isIdentifier(st.name as ts.Node)) out.add((st.name as ts.Identifier).text);
    } else if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause))
      for (const el of st.exportClause.elements) out.add(el.name.text);
  }
  return out;
}
