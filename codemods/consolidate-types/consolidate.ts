import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { Node, Project, ts as morphTs, type ClassDeclaration, type EnumDeclaration, type InterfaceDeclaration, type SourceFile, type TypeAliasDeclaration } from 'ts-morph';
import ts from '../engine/ts-api.js';
import type { DuplicateTypeSpec, SsotManifest } from '../../manifest/types.js';
import type { PhaseContext } from '../engine/context.js';
import { applyEdits } from '../engine/edits.js';
import { moduleIdOf } from '../engine/module-id.js';
import { ownDocStart } from '../engine/comment-kinds.js';
import { importInsertion } from '../engine/import-place.js';
import { sourcePunctuation, type SourcePunctuation } from '../engine/import-style.js';
import { mergeInto } from '../engine/named-list.js';
import { parseSource } from '../engine/parse.js';
import { ModuleResolver } from '../engine/resolve.js';
import { buildScopeIndex } from '../engine/scope.js';
import { isFacadeText } from '../strangle/layout.js';
import { detectEol, lineColumn, statementLineRange } from '../engine/text.js';
import { usesJsSuffix } from '../engine/specifier.js';
import type { Edit, FileReport } from '../engine/types.js';
import { identifierText, stringLiteral } from '../engine/literal.js';

type TypeDecl = InterfaceDeclaration | TypeAliasDeclaration | EnumDeclaration;

export interface ConsolidateResult {
  files: FileReport[];
  changes: Array<{ file: string; before: string; after: string }>;
  parsed: number;
}

const TS_EXTS = ['.ts', '.tsx', '.mts', '.cts'];

function findDecl(sf: SourceFile, name: string): TypeDecl | undefined {
  return sf.getInterface(name) ?? sf.getTypeAlias(name) ?? sf.getEnum(name);
}

/**
 * Phase 2. For each `duplicateTypes` entry, every other top-level declaration of that name
 * is checked against the canonical one with the type checker (analysis first, then edits,
 * never interleaved) and, when compatible, replaced by a re-export/import of the canonical
 * declaration. Incompatible duplicates are left byte-identical and reported with the reason.
 */
export async function consolidateTypes(repoDir: string, manifest: SsotManifest, ctx: PhaseContext, candidates: readonly string[]): Promise<ConsolidateResult> {
  const texts = new Map<string, string>();
  const relevant = new Set<string>();
  const reports = new Map<string, FileReport>();
  for (const file of candidates) {
    if (!TS_EXTS.some((e) => file.endsWith(e)) || file.endsWith('.d.ts')) continue;
    let text: string;
    try {
      text = readFileSync(join(repoDir, file), 'utf8');
    } catch {
      continue;
    }
    if (!manifest.duplicateTypes.some((d) => text.includes(d.name))) continue;
    // A strangle facade's `export type X = frozen.X` pairs with a shim value of the same name;
    // it is the shim's business (remove-shim deletes it), not a duplicate to consolidate.
    if (isFacadeText(text)) continue;
    const { error } = parseSource(file, text);
    if (error) {
      reports.set(file, { file, status: 'failed', error, problems: [] });
      continue;
    }
    texts.set(file, text);
    relevant.add(file);
  }
  const report = (file: string): FileReport => {
    let r = reports.get(file);
    if (!r) reports.set(file, (r = { file, status: 'unchanged', problems: [] }));
    return r;
  };

  const tsconfig = join(repoDir, manifest.tsconfig);
  const project = new Project({
    ...(existsSync(tsconfig) ? { tsConfigFilePath: tsconfig } : {}),
    skipAddingFilesFromTsConfig: true,
  });
  for (const file of relevant) project.addSourceFileAtPath(join(repoDir, file));
  // edits replace files in the project, so the checker is fetched fresh per pass
  const checker = (): morphTs.TypeChecker => project.getTypeChecker().compilerObject;
  const resolver = new ModuleResolver(ctx.resolver);
  const fileOfId = (id: string): string | undefined => [...relevant].find((f) => moduleIdOf(f) === id);
  // canonicalModule may name the canonical package itself (e.g. "ssot-migrate/canonical"):
  // after strangle the legacy declaration sites are facades, and the type that stays is the
  // package's. Such a spec is resolved by the compiler, and imports use the bare specifier.
  const external = (spec: DuplicateTypeSpec): boolean => spec.canonicalModule === manifest.canonical.module && !resolver.isKnown(spec.canonicalModule) && !resolver.isKnown(`${spec.canonicalModule}/index`);
  const externalDecls = resolveExternal(project, repoDir, manifest.duplicateTypes.filter(external));

  // Analysis first, then edits, never interleaved. Repeated to a fixpoint: a duplicate that
  // refers to another duplicate (an interface using its file's own copy of an enum) only
  // becomes compatible once that one is consolidated.
  const changes = new Map<string, { file: string; before: string; after: string }>();
  const done = new Set<TypeDecl['compilerNode']>();
  let pending: Array<{ file: string; message: string; code: string; at: { line: number; column: number } }> = [];
  for (let pass = 0; pass < 5; pass++) {
    const plans: Array<{ file: string; spec: DuplicateTypeSpec; decl: TypeDecl }> = [];
    pending = [];
    for (const spec of manifest.duplicateTypes) {
      const canonicalId = resolver.isKnown(spec.canonicalModule) ? spec.canonicalModule : `${spec.canonicalModule}/index`;
      const canonicalFile = external(spec) ? undefined : fileOfId(canonicalId);
      const canonical = external(spec) ? externalDecls.get(spec.name) : canonicalFile ? findDecl(project.getSourceFileOrThrow(join(repoDir, canonicalFile)), spec.name) : undefined;
      for (const file of relevant) {
        if (file === canonicalFile) continue;
        const decl = findDecl(project.getSourceFileOrThrow(join(repoDir, file)), spec.name);
        if (!decl || done.has(decl.compilerNode)) continue;
        const text = texts.get(file)!;
        const at = lineColumn(text, offsetOf(text, decl.getStart()));
        if (!canonical) {
          pending.push({ file, at, code: 'no-canonical', message: `${spec.name}: no canonical declaration found in ${spec.canonicalModule}; duplicate left unchanged` });
          continue;
        }
        const why = incompatibility(decl, canonical, checker());
        if (why !== undefined) {
          pending.push({ file, at, code: 'incompatible', message: `${spec.name} here is not assignment-compatible with ${spec.canonicalModule}: ${why}; left unchanged` });
          continue;
        }
        plans.push({ file, spec, decl });
      }
    }
    if (plans.length === 0) break;
    const byFile = new Map<string, typeof plans>();
    for (const p of plans) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
    for (const [file, filePlans] of byFile) {
      const text = texts.get(file)!;
      const edits = filePlans.flatMap((p) => editsFor(file, text, p.decl, p.spec, resolver, external(p.spec)));
      const after = applyEdits(text, edits);
      const check = parseSource(file, after);
      filePlans.forEach((p) => done.add(p.decl.compilerNode));
      if (check.error) {
        report(file).status = 'failed';
        report(file).error = { ...check.error, message: `transform output does not parse (${check.error.message}); file left unchanged` };
        continue;
      }
      if (after === text) continue;
      const original = changes.get(file)?.before ?? text;
      changes.set(file, { file, before: original, after });
      texts.set(file, after);
      report(file).status = 'changed';
    }
    // let the checker see the consolidated files before the next pass
    for (const [file, c] of changes) project.getSourceFileOrThrow(join(repoDir, file)).replaceWithText(c.after.replace(/^\uFEFF/, ''));
    done.clear();
  }
  for (const p of pending) report(p.file).problems.push({ code: p.code, message: p.message, ...p.at });
  for (const f of candidates) report(f);
  const files = [...reports.values()].sort((a, b) => (a.file < b.file ? -1 : 1));
  return { files, changes: [...changes.values()], parsed: relevant.size };
}

/** The declarations a package exports under the specs' names, found through a probe file's imports. */
function resolveExternal(project: Project, repoDir: string, specs: DuplicateTypeSpec[]): Map<string, TypeDecl> {
  const out = new Map<string, TypeDecl>();
  if (specs.length === 0) return out;
  const probe = project.createSourceFile(
    join(repoDir, '__ssot_canonical_probe__.ts'),
    specs.map((s, i) => `import { ${identifierText(s.name, 'duplicateTypes name')} as __ssot${i} } from ${stringLiteral(s.canonicalModule)};`).join('\n'),
    { overwrite: true },
  );
  specs.forEach((s, i) => {
    const sym = probe.getImportDeclarations()[i]?.getNamedImports()[0]?.getNameNode().getSymbol();
    const target = sym?.isAlias() ? sym.getAliasedSymbol() : sym;
    const decl = target?.getDeclarations().find((d) => Node.isInterfaceDeclaration(d) || Node.isTypeAliasDeclaration(d) || Node.isEnumDeclaration(d));
    if (decl) out.set(s.name, decl as TypeDecl);
  });
  return out;
}

/** ts-morph reads files without their BOM; offsets into the original text are one further. */
function offsetOf(text: string, pos: number): number {
  return text.charCodeAt(0) === 0xfeff ? pos + 1 : pos;
}

/** Why `dup` cannot be replaced by `canonical`, or undefined when it can. */
export function incompatibility(dup: TypeDecl, canonical: TypeDecl, checker: morphTs.TypeChecker): string | undefined {
  const dupEnum = Node.isEnumDeclaration(dup);
  const canEnum = Node.isEnumDeclaration(canonical);
  if (dupEnum !== canEnum) return `one is an enum and the other is not`;
  if (dupEnum && canEnum) {
    for (const m of dup.getMembers()) {
      const c = canonical.getMember(m.getName());
      if (!c) return `member ${m.getName()} is missing from the canonical enum`;
      if (c.getValue() !== m.getValue()) return `member ${m.getName()} is ${JSON.stringify(m.getValue())} here but ${JSON.stringify(c.getValue())} in the canonical enum`;
    }
    return undefined;
  }
  const d = dup.getType().compilerType;
  const c = canonical.getType().compilerType;
  // every value typed as the duplicate will now be a canonical one: the canonical type must fit where the duplicate did
  if (!checker.isTypeAssignableTo(c, d)) {
    const missing = dup.getType().getProperties().map((p) => p.getName()).filter((n) => !canonical.getType().getProperty(n));
    return `the canonical type is not assignable to this one${missing.length ? ` (it lacks ${missing.join(', ')})` : ' (member types differ)'}`;
  }
  // and every class written against the duplicate must satisfy the canonical one
  for (const impl of implementorsOf(dup)) {
    if (!checker.isTypeAssignableTo(impl.getType().compilerType, c))
      return `${impl.getName() ?? 'a class'} (${impl.getSourceFile().getBaseName()}:${impl.getStartLineNumber()}) implements it but does not satisfy the canonical type`;
  }
  return undefined;
}

/** Classes whose `implements` clause names the declaration (through any import alias). */
function implementorsOf(decl: TypeDecl): ClassDeclaration[] {
  const out: ClassDeclaration[] = [];
  for (const sf of decl.getProject().getSourceFiles())
    for (const cls of sf.getClasses())
      for (const impl of cls.getImplements())
        if (impl.getType().getSymbol()?.getDeclarations().some((x) => x === decl)) out.push(cls);
  return out;
}

function editsFor(file: string, text: string, decl: TypeDecl, spec: DuplicateTypeSpec, resolver: ModuleResolver, external: boolean): Edit[] {
  const eol = detectEol(text);
  const { sf } = parseSource(file, text);
  const name = spec.name;
  const typeOnly = !Node.isEnumDeclaration(decl);
  const exported = decl.isExported();
  const scope = buildScopeIndex(sf);
  const usedLocally = (scope.references.get(name) ?? []).some((id) => !(ts.isExportSpecifier(id.parent) && id.parent.parent.parent.moduleSpecifier === undefined));
  const specifier = external ? spec.canonicalModule : relativeSpecifier(file, spec.canonicalModule, text, resolver);
  const punct = sourcePunctuation(sf);
  const t = typeOnly ? 'type ' : '';
  // with its own doc comment, never the file's header above it (TypeScript's JSDoc would take both)
  const own = sf.statements.find((st) => st.getStart(sf) === offsetOf(text, decl.getStart()));
  const start = own ? ownDocStart(sf, own) : offsetOf(text, decl.getStart(true));
  const end = offsetOf(text, decl.getEnd());
  const edits: Edit[] = [];
  if (exported && !usedLocally) {
    edits.push({ start, end, text: `export ${t}{ ${identifierText(name, 'duplicateTypes name')} } from ${stringLiteral(specifier, punct.quote)}${punct.semi}` });
    return edits;
  }
  if (exported) edits.push({ start, end, text: `export ${t}{ ${name} }${punct.semi}` });
  else {
    const r = statementLineRange(text, start, end);
    // the blank line that parted it from the code below goes too, where one is left above it
    const blankAfter = /^[ \t]*\r?\n/.exec(text.slice(r.end));
    if (blankAfter && (r.start === 0 || /\n[ \t]*\r?\n$/.test(text.slice(0, r.start)))) r.end += blankAfter[0].length;
    edits.push({ start: r.start, end: r.end, text: '' });
  }
  if (usedLocally) edits.unshift(...importEdits(sf, text, eol, name, typeOnly, specifier, punct, resolver, file, external, edits));
  return edits;
}

/** Import the canonical declaration: merged into an existing import of its module, else with the file's imports (engine/import-place.ts). */
function importEdits(sf: ts.SourceFile, text: string, eol: string, name: string, typeOnly: boolean, specifier: string, punct: SourcePunctuation, resolver: ModuleResolver, file: string, external: boolean, planned: readonly Edit[]): Edit[] {
  const target = resolver.resolve(specifier, file);
  const imports = sf.statements.filter(ts.isImportDeclaration);
  for (const imp of imports) {
    if (!ts.isStringLiteral(imp.moduleSpecifier)) continue;
    if (external ? imp.moduleSpecifier.text !== specifier : resolver.resolve(imp.moduleSpecifier.text, file) !== target) continue;
    const merged = mergeInto(imp, [{ name, alias: name, typeOnly }], text, eol);
    if (merged) return merged;
  }
  const line = `import ${typeOnly ? 'type ' : ''}{ ${identifierText(name, 'duplicateTypes name')} } from ${stringLiteral(specifier, punct.quote)}${punct.semi}`;
  return [importInsertion(sf, line, eol, planned)];
}

/** A relative specifier to a repo module, `.js`-suffixed when the file's relative imports are. */
function relativeSpecifier(file: string, moduleId: string, text: string, resolver: ModuleResolver): string {
  const id = resolver.isKnown(moduleId) ? moduleId : `${moduleId}/index`;
  let rel = posix.relative(posix.dirname(file), id);
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return usesJsSuffix(text) ? `${rel}.js` : rel.endsWith('/index') ? rel.slice(0, -'/index'.length) : rel;
}
