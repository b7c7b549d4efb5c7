/** rewrite-imports: `export { … } from legacy`, `export * from legacy`, `export * as ns from legacy`. */
import ts from '../engine/ts-api.js';
import type { LegacyTarget } from '../engine/context.js';
import type { PublicModuleTarget } from '../engine/context.js';
import { moduleIdOf, withoutIndex } from '../engine/module-id.js';
import { removeElements, renderExport, renderSpec, rewriteList, type NamedSpec, type Specifier } from '../engine/named-list.js';
import { contextFacts, mapRenames } from './facts.js';
import { dedupe } from './imports.js';
import type { ImportRewriter, PlannedDecl } from './rewriter.js';

export function rewriteExportDeclarations(r: ImportRewriter, legacyExports: Array<{ decl: ts.ExportDeclaration; legacy: LegacyTarget }>,
  canonicalExports: ts.ExportDeclaration[],
): void {
  if (legacyExports.length === 0) return;
  const localExports = localExportNames(r, );
  let starPresent = canonicalExports.some((d) => !d.exportClause && !d.isTypeOnly);
  const specs: NamedSpec[] = [];
  const planned: Array<PlannedDecl & { changes: Map<Specifier, NamedSpec | null> }> = [];
  const pub = new PublicDecisions(r, legacyExports, canonicalExports, localExports);
  const starReplacements: Array<{ decl: ts.ExportDeclaration; retarget: boolean; text: string | undefined }> = [];
  for (const { decl, legacy } of legacyExports) {
    const clause = decl.exportClause;
    const literal = decl.moduleSpecifier as ts.StringLiteral;
    if (!clause) {
      // `export * from legacy` → `export * from canonical` plus explicit re-exports under the
      // legacy names the map renames, so this module's public surface keeps every known name.
      const keep: string[] = [];
      for (const [from, to] of Object.entries(legacy.symbols)) {
        if (from === 'default' || localExports.has(from)) continue;
        const decided = pub.replace(from, decl);
        if (decided === 'clash') continue;
        if (decided) {
          specs.push(...decided);
          continue;
        }
        if (keepOnLegacy(r, legacy, from, to)) {
          pub.undecided(from, from, to, legacy, decl);
          keep.push(from);
          continue;
        }
        r.usedCanonicalNames.add(to);
        if (from === to) continue;
        specs.push({ name: to, alias: from, typeOnly: decl.isTypeOnly || r.rt.ctx.canonical.kinds[to] === 'type' });
      }
      // names the canonical module cannot supply stay re-exported from the legacy module, so nothing is lost
      const exported = contextFacts(r.rt.ctx).canonicalExports;
      for (const n of Object.keys(legacy.exports))
        if (n !== 'default' && legacy.symbols[n] === undefined && !pub.isReplaced(n) && !localExports.has(n) && (exported.size === 0 ? false : !exported.has(n))) keep.push(n);
      // the names the canonical `export *` would supply in their place: a same-name mapping, or a
      // name the canonical module exports too. None (a module of app names only, `export { WebSocket }
      // from 'ws'`): no canonical star — it would re-export the whole canonical API from this module
      const servedByStar = Object.keys(legacy.exports).some((n) => n !== 'default' && !localExports.has(n) && !pub.isReplaced(n) && !keep.includes(n) && (legacy.symbols[n] === undefined ? exported.has(n) : legacy.symbols[n] === n));
      // the statement itself is retargeted in place (or dropped when a canonical `export *` is there)
      const retarget = !(starPresent && !decl.isTypeOnly) && (exported.size === 0 || servedByStar);
      let text: string | undefined;
      if (keep.length > 0) {
        // names a later phase owns, or values whose canonical name is only a type, stay on the legacy module
        r.problem('deferred', decl, `export * from legacy ${legacy.id}: ${keep.join(', ')} kept on the legacy module (no canonical replacement yet)`);
        const kept: NamedSpec[] = keep.map((n) => ({ name: n, alias: n, typeOnly: decl.isTypeOnly || legacy.exports[n] === 'type' }));
        text = renderExport(kept, literal.getText(r.sf), r.semicolonOf(decl), r.style, attributesOf(r, decl));
      }
      starReplacements.push({ decl, retarget, text });
      if (!decl.isTypeOnly && (retarget || starPresent)) starPresent = true;
      continue;
    }
    if (ts.isNamespaceExport(clause)) {
      const renames = mapRenames(legacy);
      if (renames) r.problem('needs-review', decl, `export * as ${clause.name.text} from legacy ${legacy.id}: the map renames members, so the namespace shape would change; left unchanged`);
      else r.retarget(literal);
      continue;
    }
    const moved = new Map<Specifier, NamedSpec | null>();
    for (const el of clause.elements) {
      const imported = (el.propertyName ?? el.name).text;
      // what a public module exports instead is the manifest's decision, whatever the map says
      const decided = pub.replace(el.name.text, el);
      if (decided === 'clash') continue;
      if (decided) {
        specs.push(...decided);
        moved.set(el, decided[0] ?? null);
        continue;
      }
      const canon = legacy.symbols[imported];
      if (canon === undefined) {
        r.problem('unmapped-name', el, `${imported} from legacy ${legacy.id} has no entry in the manifest symbol map; left unchanged`);
        continue;
      }
      if (keepOnLegacy(r, legacy, imported, canon) && !(decl.isTypeOnly || el.isTypeOnly)) {
        if (!pub.undecided(el.name.text, imported, canon, legacy, el)) r.problem('deferred', el, `${imported}: a factory/adapter entry point or a value whose canonical name is a type; left on legacy ${legacy.id}`);
        continue;
      }
      r.usedCanonicalNames.add(canon);
      const spec = { name: canon, alias: el.name.text, typeOnly: decl.isTypeOnly || el.isTypeOnly || becomesType(r, legacy, imported, canon) };
      specs.push(spec);
      moved.set(el, spec);
    }
    if (moved.size === 0) continue;
    if (moved.size === clause.elements.length) planned.push({ decl, whole: true, partEdits: [], changes: moved });
    else planned.push({ decl, whole: false, partEdits: removeElements(clause.elements, new Set(moved.keys())), changes: moved });
  }

  const starInserts: Array<{ decl: ts.ExportDeclaration; text: string }> = [];
  for (const s of starReplacements) {
    if (s.retarget) r.retarget(s.decl.moduleSpecifier as ts.StringLiteral);
    if (s.text === undefined) {
      if (!s.retarget) r.removeStatement(s.decl);
    } else if (s.retarget) starInserts.push({ decl: s.decl, text: s.text });
    else r.edits.push({ start: s.decl.getStart(r.sf), end: s.decl.end, text: s.text });
  }
  // a replaced public name already re-exported from the canonical module changes there
  const canonChanges = pub.canonicalChanges(specs);
  const target = canonicalExports.find((d) => d.exportClause !== undefined && ts.isNamedExports(d.exportClause));
  for (const [d, changes] of canonChanges) if (d !== target || specs.length === 0) r.edits.push(...rewriteList(d, { changes }, r.text, r.style)!);
  if (specs.length > 0) {
    // into the existing canonical `export { … } from`, else the first legacy one that moves whole
    // (edited in place), else a new statement after the first legacy re-export
    const anchor = target ? undefined : planned.find((p) => p.whole);
    if (target) r.edits.push(...rewriteList(target, { ...(canonChanges.has(target) ? { changes: canonChanges.get(target)! } : {}), append: dedupe(specs) }, r.text, r.style)!);
    else if (anchor) {
      const own = new Set(anchor.changes.values());
      const specifier = r.quotedCanonical(anchor.decl.moduleSpecifier as ts.StringLiteral);
      r.edits.push(...rewriteList(anchor.decl, { changes: anchor.changes, append: dedupe(specs.filter((s) => !own.has(s))), specifier }, r.text, r.style)!);
      planned.splice(planned.indexOf(anchor), 1);
    } else {
      const anchorDecl = planned[0]?.decl ?? starReplacements[0]!.decl;
      const rendered = renderExport(dedupe(specs), r.quotedCanonical(anchorDecl.moduleSpecifier as ts.StringLiteral), r.semicolonOf(anchorDecl), r.style);
      const ins = starInserts.find((i) => i.decl === anchorDecl);
      if (ins) ins.text = rendered + r.eol + ins.text;
      else if (starReplacements.some((sr) => sr.decl === anchorDecl && sr.retarget)) starInserts.push({ decl: anchorDecl as ts.ExportDeclaration, text: rendered });
      else r.edits.push({ start: anchorDecl.end, end: anchorDecl.end, text: r.eol + rendered });
    }
  }
  for (const i of starInserts) r.edits.push({ start: i.decl.end, end: i.decl.end, text: r.eol + i.text });
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

/** ` with { … }` / ` assert { … }` of a declaration, as written, for statements derived from it. */
export function attributesOf(r: ImportRewriter, decl: ts.ImportDeclaration | ts.ExportDeclaration): string {
  const a = decl.attributes;
  return a ? r.text.slice(decl.moduleSpecifier!.end, a.end) : '';
}

/**
 * A name that was a value on the legacy module and is only a type on the canonical one gets
 * `type` (so `verbatimModuleSyntax` / `isolatedModules` stay satisfied); one that was a type
 * already is left as the file wrote it.
 */
export function becomesType(r: ImportRewriter, legacy: LegacyTarget, imported: string, canon: string): boolean {
  return r.rt.ctx.canonical.kinds[canon] === 'type' && legacy.exports[imported] !== 'type';
}

/**
 * The manifest's decisions for a public module (`publicApi[].replacements`): a public name
 * re-exporting a legacy value is replaced by the canonical exports a person chose (the
 * breaking change is theirs to make); without one, a value no rewrite can carry (its canonical
 * name is a type only) is reported naming the field to write. A replacement whose name the
 * module already exports otherwise (a local declaration, another module's re-export) is not
 * applied: reported, left unchanged.
 */
class PublicDecisions {
  private readonly target: PublicModuleTarget | undefined;
  /** Public name -> the canonical name it re-exports (undefined: something else, e.g. a local). */
  private readonly exported = new Map<string, string | undefined>();
  private readonly canonicalExports: ts.ExportDeclaration[];

  constructor(private readonly r: ImportRewriter, legacyExports: ReadonlyArray<{ decl: ts.ExportDeclaration; legacy: LegacyTarget }>, canonicalExports: ts.ExportDeclaration[], localExports: ReadonlySet<string>) {
    this.target = r.rt.ctx.publicModules?.[withoutIndex(moduleIdOf(r.input.file))];
    this.canonicalExports = canonicalExports;
    if (!this.target) return;
    const legacyOf = new Map(legacyExports.map((e) => [e.decl, e.legacy]));
    for (const n of localExports) this.exported.set(n, undefined);
    for (const st of r.sf.statements) {
      if (!ts.isExportDeclaration(st) || !st.moduleSpecifier || !st.exportClause || !ts.isNamedExports(st.exportClause)) continue;
      const legacy = legacyOf.get(st);
      const canonical = canonicalExports.includes(st);
      for (const el of st.exportClause.elements) {
        const imported = (el.propertyName ?? el.name).text;
        if (this.isReplaced(el.name.text)) continue;
        this.exported.set(el.name.text, canonical ? imported : legacy ? legacy.symbols[imported] : undefined);
      }
    }
  }

  isReplaced(name: string): boolean {
    return this.target !== undefined && Object.hasOwn(this.target.replacements, name);
  }

  /** The specs replacing public name `name` (empty: dropped); undefined when the manifest decides nothing; 'clash' (reported) when the decision cannot apply. */
  replace(name: string, at: ts.Node): NamedSpec[] | 'clash' | undefined {
    const t = this.target;
    if (!t || !Object.hasOwn(t.replacements, name)) return undefined;
    const items = t.replacements[name]!;
    const field = `publicApi[${t.index}].replacements.${name}`;
    const clash = items.find((x) => this.exported.has(x.alias) && this.exported.get(x.alias) !== x.name);
    if (clash) {
      this.r.problem('needs-review', at, `${name}: ${field} would export ${clash.alias}, which ${t.module} already exports otherwise; left unchanged (write "${clash.name} as <another name>" there, or rename the other export)`);
      return 'clash';
    }
    const kinds = this.r.rt.ctx.canonical.kinds;
    const specs = items.map((x) => ({ name: x.name, alias: x.alias, typeOnly: x.typeOnly || kinds[x.name] === 'type' }));
    for (const x of items) this.r.usedCanonicalNames.add(x.name);
    const shown = specs.length ? specs.map((x) => renderSpec(x, true)).join(', ') : 'nothing (dropped)';
    this.r.problem('public-replacement', at, `${t.module} exports ${shown} instead of ${name} (${field})`);
    return specs;
  }

  /** Reports a legacy value kept on the legacy module in a public module; true when reported. */
  undecided(name: string, imported: string, canon: string, legacy: LegacyTarget, at: ts.Node): boolean {
    const t = this.target;
    // a name a later phase owns is deferred, not a decision
    if (!t || this.r.rt.ctx.deferred[legacy.moduleId]?.includes(imported)) return false;
    this.r.problem('needs-review', at, `${name}: public export (manifest publicApi: ${t.module}) of legacy ${legacy.id}'s value ${imported}, whose canonical ${canon} is a type only; what ${t.module} exports instead is a breaking change for its consumers: write it as publicApi[${t.index}].replacements.${name} in ssot.config.json (e.g. ["type ${canon}", "<a canonical value>"]); left on the legacy module`);
    return true;
  }

  /** Canonical re-exports of a replaced public name: their entries change; the extra specs are appended to `specs`. */
  canonicalChanges(specs: NamedSpec[]): Map<ts.ExportDeclaration, Map<Specifier, NamedSpec | null>> {
    const out = new Map<ts.ExportDeclaration, Map<Specifier, NamedSpec | null>>();
    if (!this.target) return out;
    for (const d of this.canonicalExports) {
      if (!d.exportClause || !ts.isNamedExports(d.exportClause)) continue;
      for (const el of d.exportClause.elements) {
        const decided = this.replace(el.name.text, el);
        if (decided === undefined || decided === 'clash') continue;
        if (!out.has(d)) out.set(d, new Map());
        out.get(d)!.set(el, decided[0] ?? null);
        specs.push(...decided.slice(1));
      }
    }
    return out;
  }
}
