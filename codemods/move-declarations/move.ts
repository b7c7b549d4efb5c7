/**
 * TypeScript's "Move to file" as a batch codemod, driven by the manifest's `moves`: a top-level
 * declaration leaves a (legacy) module for another module, taking with it the imports it needs
 * and the local helpers only it uses; what it still needs from the old module is imported (and
 * exported there if it was not); every named import and `export { } from` of it across the repo
 * follows it (a barrel's `export * from` the old module re-exports it by name from the new one), and so does the module's default export of it (`export default Hub;` moves along, and
 * `import Hub from` / `export { default } from` the old module follow); the old module keeps nothing
 * of it (what it still uses of it is imported back, and exported by the new module for that). Text splices only (engine/edits.ts): a file's
 * CRLF, BOM, quotes and comments stay as written outside the edited ranges.
 */
import { posix } from 'node:path';
import type { MoveSpec } from '../../manifest/types.js';
import { applyEdits } from '../engine/edits.js';
import { moduleReferences } from '../engine/import-forms.js';
import { headerEnd, importInsertion } from '../engine/import-place.js';
import { detectImportStyle, quoteOf, sourcePunctuation } from '../engine/import-style.js';
import { stringLiteral } from '../engine/literal.js';
import { moduleIdOf, normalizeId } from '../engine/module-id.js';
import { collapseSelfAliases, mergeInto, namedElements, removeElements, renderExport, renderImport, type NamedSpec } from '../engine/named-list.js';
import { parseSource } from '../engine/parse.js';
import { passThroughOf, type PassThrough } from '../engine/re-export.js';
import type { ModuleResolver } from '../engine/resolve.js';
import { detectEol, identifierPattern, lineColumn, lineStartOf, statementLineRange } from '../engine/text.js';
import { relativeSpecifier } from '../engine/specifier.js';
import ts from '../engine/ts-api.js';
import type { Edit } from '../engine/types.js';
import type { ReviewItem } from '../phase/types.js';

export interface MoveInput {
  /** Repo-relative source files (the snapshot's candidates). */
  files: readonly string[];
  read(file: string): string | undefined;
  resolver: ModuleResolver;
  moves: readonly MoveSpec[];
}

export interface MoveResult {
  /** New text per changed or created file. */
  texts: Map<string, string>;
  edits: number;
  /** One line per move done (`Name: from -> to`, a pass-through's with `(a re-export from …)`). */
  moved: string[];
  /** How many of `moved` moved declarations (the module's own code) and how many re-exports it only passed through. */
  counts: { declarations: number; reexports: number };
  /** Re-exports (`export { X } from 'm'`) left in a module declarations or re-exports moved out of: `module: X, Y`. */
  keptReexports: string[];
  needsReview: ReviewItem[];
  problems: ReviewItem[];
}

const SOURCE = /\.(ts|tsx|mts|cts)$/;

/** Plans every move in order over an in-memory copy of the files (a later move sees the earlier ones). */
export function planMoves(input: MoveInput): MoveResult {
  const texts = new Map<string, string>();
  const read = (f: string): string | undefined => texts.get(f) ?? input.read(f);
  const files = [...input.files];
  const out: MoveResult = { texts, edits: 0, moved: [], counts: { declarations: 0, reexports: 0 }, keptReexports: [], needsReview: [], problems: [] };
  for (const move of input.moves) moveOne(move, files, read, input.resolver, out);
  for (const [f, t] of [...texts]) if (t === input.read(f)) texts.delete(f);
  // what the modules moved out of still pass through: said, so a summary does not read as if everything went
  const fromFiles = new Set(input.moves.map((m) => fileOfModule(files, m.from)).filter((f): f is string => f !== undefined && texts.has(f)));
  for (const f of fromFiles) {
    const { sf, error } = parseSource(f, texts.get(f)!);
    if (error) continue;
    const names = sf.statements.flatMap((st) => (ts.isExportDeclaration(st) && st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause) ? st.exportClause.elements.map((e) => e.name.text) : []));
    if (names.length) out.keptReexports.push(`${f}: ${names.join(', ')}`);
  }
  return out;
}

/** The phase's summary: declarations and re-exports moved counted apart, re-exports kept named. */
export function moveSummary(r: MoveResult, filesChanged: number): string {
  if (r.moved.length === 0) return 'every listed declaration is already in place';
  const { declarations, reexports } = r.counts;
  const parts = [declarations ? `${declarations} declaration(s)` : '', reexports ? `${reexports} re-export(s) the module only passed through` : ''].filter(Boolean);
  const kept = r.keptReexports.length ? `; re-export(s) kept where they were: ${r.keptReexports.join('; ')}` : '';
  return `moved ${parts.join(' and ')}; ${filesChanged} file(s) changed${kept}`;
}

/** The file holding a module id (a .ts file preferred; `x` also finds `x/index`). */
export function fileOfModule(files: readonly string[], mod: string): string | undefined {
  const id = normalizeId(moduleIdOf(mod));
  const hits = files.filter((f) => SOURCE.test(f) && !f.endsWith('.d.ts') && !/\.legacy\.[cm]?tsx?$/.test(f) && (moduleIdOf(f) === id || moduleIdOf(f) === `${id}/index`));
  return hits.sort((a, b) => (a.endsWith('.ts') ? 0 : 1) - (b.endsWith('.ts') ? 0 : 1))[0];
}

/** Names a top-level statement declares. */
export function declaredNames(st: ts.Statement): string[] {
  if (ts.isVariableStatement(st)) return st.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  if ((ts.isClassDeclaration(st) || ts.isFunctionDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st) || ts.isModuleDeclaration(st)) && st.name && ts.isIdentifier(st.name))
    return [st.name.text];
  return [];
}

const isExported = (st: ts.Statement): boolean => ts.canHaveModifiers(st) && (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** Identifier texts a node refers to (property names after `.` and member names are not references). */
function usedNames(node: ts.Node): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    // `export { WebSocket } from 'ws'` names another module's exports, not this module's bindings
    if (ts.isExportDeclaration(n) && n.moduleSpecifier) return;
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const memberName =
        (ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isQualifiedName(p) && p.right === n) ||
        ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isPropertySignature(p) || ts.isMethodSignature(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p) || ts.isEnumMember(p)) && p.name === n);
      if (!memberName) out.add(n.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

/** statementLineRange where a BOM before the first statement counts as the start of its line (and stays). */
function lineRange(text: string, start: number, end: number): { start: number; end: number } {
  const bom = text.startsWith('\uFEFF');
  const r = statementLineRange(bom ? ` ${text.slice(1)}` : text, start, end);
  if (bom && r.start === 0) r.start = 1;
  return r;
}

/** The statement's text range with the comment block right above it (its doc comment), whole lines. */
function rangeWithDoc(text: string, sf: ts.SourceFile, st: ts.Statement): { start: number; end: number } {
  let start = st.getStart(sf);
  const comments = ts.getLeadingCommentRanges(text, st.pos) ?? [];
  for (let i = comments.length - 1; i >= 0; i--) {
    const c = comments[i]!;
    // attached: only a line break between the comment and what follows it
    if (/\n[ \t]*\r?\n/.test(text.slice(c.end, start))) break;
    // an editor's folding marker belongs to the region it opens, not to the declaration: it stays
    // with its `#endregion` (moving it left the `#endregion` behind)
    if (/^\/[/*]\s*#(end)?region\b/.test(text.slice(c.pos, c.end))) break;
    start = c.pos;
  }
  return lineRange(text, lineStartOf(text, start), st.end);
}

/**
 * A specifier naming a folder's `index` module by its folder (`'../hub'`, `'~server/objects/Hub'`):
 * extensionless, so the repo's resolution reads folders; one pointed at another `index` module
 * keeps that form rather than spell out `/index`.
 */
const namesFolder = (spec: string, file: string): boolean => moduleIdOf(file).endsWith('/index') && !/(^|\/)index(\.[cm]?js)?$/.test(spec) && !/\.[cm]?js$/.test(spec);
const folderForm = (spec: string, like: string, likeFile: string, target: string): string => (namesFolder(like, likeFile) && moduleIdOf(target).endsWith('/index') ? spec.replace(/\/index$/, '') : spec);

/** The specifier `importer` should write for module file `target`, in the style of `like` (a `.js` suffix or none; a folder for an index module). */
function specifierFor(importerFile: string, targetFile: string, like: string, likeFile?: string): string {
  const spec = relativeSpecifier(importerFile, targetFile, /\.[cm]?js$/.test(like));
  return likeFile === undefined ? spec : folderForm(spec, like, likeFile, targetFile);
}

/** A non-relative (paths alias) specifier of `fromFile` pointed at `toFile` the same way. */
function aliasFor(spec: string, fromFile: string, toFile: string): string {
  const ext = /\.[cm]?js$/.exec(spec)?.[0] ?? '';
  // `~server/objects/Hub` naming `…/objects/Hub/index.ts`: the folder stands for the module
  const base = namesFolder(spec, fromFile) ? `${spec}/index` : spec.slice(0, spec.length - ext.length);
  const fromId = moduleIdOf(fromFile);
  const toId = moduleIdOf(toFile);
  const tail = posix.relative(posix.dirname(fromId), toId);
  return folderForm(posix.join(posix.dirname(base), tail) + ext, spec, fromFile, toFile);
}

function moveOne(move: MoveSpec, files: string[], read: (f: string) => string | undefined, resolver: ModuleResolver, out: MoveResult): void {
  const fromFile = fileOfModule(files, move.from);
  if (!fromFile) {
    out.problems.push({ file: move.from, line: 1, message: `move ${move.name}: module ${move.from} not found` });
    return;
  }
  const existingTo = fileOfModule(files, move.to);
  const toFile = existingTo ?? `${normalizeId(move.to)}${/\.[cm]?tsx?$/.exec(fromFile)![0]}`;
  const fromText = read(fromFile)!;
  const parsed = parseSource(fromFile, fromText);
  if (parsed.error) {
    out.problems.push({ file: fromFile, line: parsed.error.line, message: `move ${move.name}: does not parse, left byte-identical` });
    return;
  }
  const sf = parsed.sf;
  const eol = detectEol(fromText);
  const statements = [...sf.statements];
  const moving = new Set(statements.filter((st) => declaredNames(st).includes(move.name)));
  if (moving.size === 0) {
    const passing = passThroughOf(sf, move.name);
    if (passing) {
      movePassThrough(passing, fromFile, fromText, sf, toFile, existingTo, files, read, resolver, out);
      return;
    }
    const toText = existingTo ? read(existingTo) : undefined;
    const toSf = toText !== undefined ? parseSource(existingTo!, toText).sf : undefined;
    const there = toSf !== undefined && (toSf.statements.some((st) => declaredNames(st).includes(move.name)) || passThroughOf(toSf, move.name) !== undefined);
    if (!there) out.problems.push({ file: fromFile, line: 1, message: `move ${move.name}: ${move.from} declares no top-level ${move.name}` });
    return;
  }
  for (const st of moving)
    if (declaredNames(st).length > 1) {
      out.problems.push({ file: fromFile, line: lineColumn(fromText, st.getStart(sf)).line, message: `move ${move.name}: its statement declares other names too (${declaredNames(st).join(', ')}); split it first` });
      return;
    }

  // importers of the old module elsewhere: which of its names they take (a helper they import stays)
  const fromId = moduleIdOf(fromFile);
  const { importers, importedElsewhere, wholeModuleUse } = importersOf(files, fromFile, read, resolver);

  // helpers only the moving declarations use travel with them (to a fixpoint)
  const others = (): ts.Statement[] => statements.filter((st) => !moving.has(st) && !ts.isImportDeclaration(st));
  for (let changed = true; changed; ) {
    changed = false;
    const usedByMoving = new Set([...moving].flatMap((st) => [...usedNames(st)]));
    for (const st of others()) {
      const names = declaredNames(st);
      if (names.length !== 1 || !usedByMoving.has(names[0]!)) continue;
      const usedByRest = others().some((o) => o !== st && usedNames(o).has(names[0]!));
      const usedOutside = isExported(st) && (wholeModuleUse || importedElsewhere.has(names[0]!));
      if (!usedByRest && !usedOutside) {
        moving.add(st);
        changed = true;
      }
    }
  }
  const movedNames = new Set([...moving].flatMap(declaredNames));
  // the module's default export of a moved declaration (`export default Hub;`, `export { Hub as default }`)
  // goes with it: the new module is where importers' default imports now point
  const defaultOf = (st: ts.Statement): string | undefined => {
    if (ts.isExportAssignment(st) && !st.isExportEquals && ts.isIdentifier(st.expression)) return st.expression.text;
    if (ts.isExportDeclaration(st) && !st.moduleSpecifier && !st.isTypeOnly && st.exportClause && ts.isNamedExports(st.exportClause) && st.exportClause.elements.length === 1) {
      const el = st.exportClause.elements[0]!;
      if (el.name.text === 'default') return (el.propertyName ?? el.name).text;
    }
    return undefined;
  };
  const defaultExport = others().find((st) => movedNames.has(defaultOf(st) ?? ''));
  if (defaultExport) moving.add(defaultExport);
  const rest = others();
  const usedByMoving = new Set([...moving].flatMap((st) => [...usedNames(st)]));
  const usedByRest = new Set(rest.flatMap((st) => [...usedNames(st)]));

  // names the existing target module already imports: the moving code's imports of them are not
  // copied again (a second `import { WebSocket } from 'ws'` there is a duplicate identifier, TS2300)
  const targetText = existingTo ? read(existingTo) : undefined;
  const targetSf = targetText !== undefined ? parseSource(existingTo!, targetText).sf : undefined;
  const importedByTarget = new Set(targetSf ? targetSf.statements.filter(ts.isImportDeclaration).flatMap(importedLocals) : []);

  const fromEdits: Edit[] = [];
  const newImports: string[] = [];
  const fromStyle = detectImportStyle(sf, fromText, eol);
  const { quote: q, semi } = sourcePunctuation(sf);
  // the moving code's imports: copied (re-pointed from the new file's folder); dropped from the old file when nothing else there uses them
  for (const st of statements) {
    if (!ts.isImportDeclaration(st) || !st.importClause || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const clause = st.importClause;
    const spec = st.moduleSpecifier.text;
    const target = spec.startsWith('.') ? specifierFor(toFile, posix.join(posix.dirname(fromFile), spec), spec) : spec;
    const lit = stringLiteral(target, quoteOf(st.moduleSpecifier, sf));
    const nb = clause.namedBindings;
    // an import of the target module itself (an earlier move's back-import) is local there: not copied
    const intoItself = resolver.resolve(spec, fromFile) === moduleIdOf(toFile);
    const needed = (n: string) => usedByMoving.has(n) && !intoItself && !importedByTarget.has(n);
    const neededHere = (n: string) => usedByMoving.has(n);
    const stays = (n: string) => usedByRest.has(n);
    if (nb && ts.isNamespaceImport(nb)) {
      if (needed(nb.name.text)) newImports.push(`import ${clause.isTypeOnly ? 'type ' : ''}* as ${nb.name.text} from ${lit}${semi}`);
      if (neededHere(nb.name.text) && !stays(nb.name.text)) fromEdits.push({ ...lineRange(fromText, st.getStart(sf), st.end), text: '' });
      continue;
    }
    const els = nb && ts.isNamedImports(nb) ? nb.elements : undefined;
    const specs: NamedSpec[] = (els ?? []).filter((el) => needed(el.name.text)).map((el) => ({ name: (el.propertyName ?? el.name).text, alias: el.name.text, typeOnly: clause.isTypeOnly || el.isTypeOnly }));
    const def = clause.name && needed(clause.name.text) ? clause.name.text : undefined;
    if (specs.length > 0 || def) {
      const named = specs.length > 0 ? renderImport(specs, lit, semi, fromStyle) : undefined;
      if (def) newImports.push(`import ${clause.isTypeOnly ? 'type ' : ''}${def}${named ? `, ${named.slice(named.indexOf('{'))}` : ` from ${lit}${semi}`}`);
      else newImports.push(named!);
    }
    const dropEls = (els ?? []).filter((el) => neededHere(el.name.text) && !stays(el.name.text));
    const localDef = clause.name && neededHere(clause.name.text) ? clause.name.text : undefined;
    const dropDef = localDef !== undefined && !stays(localDef);
    const keptEls = (els?.length ?? 0) - dropEls.length;
    const keepsDef = clause.name !== undefined && !dropDef;
    if (dropEls.length === 0 && !dropDef) continue;
    if (keptEls === 0 && !keepsDef) fromEdits.push({ ...lineRange(fromText, st.getStart(sf), st.end), text: '' });
    else {
      if (dropEls.length > 0) {
        if (keptEls === 0) fromEdits.push({ start: clause.name!.end, end: nb!.end, text: '' });
        else fromEdits.push(...removeElements(els!, new Set(dropEls)));
      }
      if (dropDef) fromEdits.push({ start: clause.name!.getStart(sf), end: nb!.getStart(sf), text: '' });
    }
  }
  // the old module's own habit: a `.js` suffix or none, and an index module named by its folder or not
  const like = firstSpecifierLike(sf) ?? '';
  const likeFile = like ? files.find((f) => moduleIdOf(f) === resolver.resolve(like, fromFile)) : undefined;
  const fromSpec = specifierFor(toFile, fromFile, like, likeFile);
  // what the moving code still needs from the old module: imported from it (exported there if it was not)
  const needFromOld = rest.filter((st) => declaredNames(st).some((n) => usedByMoving.has(n)));
  if (needFromOld.length > 0) {
    const specs = needFromOld.flatMap((st) => declaredNames(st).filter((n) => usedByMoving.has(n) && !importedByTarget.has(n)).map((n) => ({ name: n, alias: n, typeOnly: ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) })));
    if (specs.length > 0) newImports.push(renderImport(specs, stringLiteral(fromSpec, q), semi, fromStyle));
    for (const st of needFromOld) if (!isExported(st)) fromEdits.push({ start: st.getStart(sf), end: st.getStart(sf), text: 'export ' });
  }
  // what the old module still uses of the moving code: imported from the new module
  const backNames = [...movedNames].filter((n) => usedByRest.has(n));
  if (backNames.length > 0) {
    const specs = backNames.map((n) => {
      const decl = [...moving].find((s) => declaredNames(s).includes(n))!;
      return { name: n, alias: n, typeOnly: ts.isInterfaceDeclaration(decl) || ts.isTypeAliasDeclaration(decl) };
    });
    fromEdits.push(importInsertion(sf, renderImport(specs, stringLiteral(specifierFor(fromFile, toFile, like, likeFile), q), semi, fromStyle), eol, fromEdits));
  }
  const bodies: string[] = [];
  const cuts: Array<{ start: number; end: number }> = [];
  for (const st of statements) {
    if (!moving.has(st)) continue;
    const r = rangeWithDoc(fromText, sf, st);
    let body = fromText.slice(r.start, r.end).replace(/(\r?\n)+$/, '');
    // imported back by the old module (its `export { Hub }`, its own code): exported here, as it was not
    if (!isExported(st) && declaredNames(st).some((n) => backNames.includes(n))) {
      const at = st.getStart(sf) - r.start;
      body = `${body.slice(0, at)}export ${body.slice(at)}`;
    }
    bodies.push(body);
    // the blank line that separated it goes too (one, not the file's other blank lines)
    const blankBefore = /\n[ \t]*\r?\n$/.test(fromText.slice(0, r.start));
    const blankAfter = /^[ \t]*\r?\n/.exec(fromText.slice(r.end));
    if (blankBefore && blankAfter) r.end += blankAfter[0].length;
    const prev = cuts[cuts.length - 1];
    if (prev && r.start <= prev.end) prev.end = Math.max(prev.end, r.end);
    else cuts.push(r);
    out.edits++;
  }
  // at the end of the file: no blank line left before the end
  const last = cuts[cuts.length - 1];
  if (last && last.end >= fromText.length && /\n[ \t]*\r?\n$/.test(fromText.slice(0, last.start))) last.start = lineStartOf(fromText, last.start - 1 - (fromText[last.start - 2] === '\r' ? 1 : 0));
  for (const c of cuts) fromEdits.push({ ...c, text: '' });
  out.texts.set(fromFile, applyEdits(fromText, fromEdits));

  // the new module: created, or the moving code appended to it
  const bom = fromText.startsWith('\uFEFF') ? '\uFEFF' : '';
  const toText = existingTo ? read(existingTo)! : undefined;
  if (toText === undefined) {
    out.texts.set(toFile, `${bom}${newImports.length ? newImports.join(eol) + eol + eol : ''}${bodies.join(eol + eol)}${eol}`);
    files.push(toFile);
  } else {
    const toSf = parseSource(toFile, toText).sf;
    const toEol = detectEol(toText);
    const edits: Edit[] = [];
    // its own imports of the moved names from the old module are local now
    const goneWhole = new Set<ts.Statement>();
    for (const r of moduleReferences(toSf)) {
      if (resolver.resolve(r.specifier, toFile) !== fromId || !ts.isImportDeclaration(r.node) || r.node.parent !== toSf) continue;
      const els = namedElements(r.node);
      const drop = (els ?? []).filter((el) => movedNames.has((el.propertyName ?? el.name).text));
      if (drop.length === 0) continue;
      if (drop.length === els!.length && !r.node.importClause!.name) goneWhole.add(r.node);
      else edits.push(...removeElements(els!, new Set(drop)));
    }
    const lines = newImports.map((l) => l.replace(/\r?\n/g, toEol));
    const code = bodies.map((b) => b.replace(/\r?\n/g, toEol)).join(toEol + toEol);
    // the moved code goes right after the imports: the module's own code may use it at load time —
    // unless the moved code itself uses a value the module declares (`export const hub = new Hub()`
    // moved after its class `Hub`): then right after the last such declaration, or the moved code
    // would read it before its initialization (TS2449, a ReferenceError at load)
    const kept = toSf.statements.filter((st) => ts.isImportDeclaration(st) && !goneWhole.has(st));
    const lastKept = kept[kept.length - 1];
    const firstGone = toSf.statements.find((st) => goneWhole.has(st));
    const valueDecl = (st: ts.Statement) => ts.isClassDeclaration(st) || ts.isVariableStatement(st) || ts.isEnumDeclaration(st);
    const after = toSf.statements.filter((st) => valueDecl(st) && declaredNames(st).some((n) => usedByMoving.has(n))).pop();
    // the statement whose place the imports (and, without `after`, the code) take: the first import that goes, when none stays
    const replaced = lastKept ? undefined : firstGone;
    for (const st of goneWhole) if (st !== replaced) edits.push({ ...lineRange(toText, st.getStart(toSf), st.end), text: '' });
    const imports = lines.length ? lines.join(toEol) : '';
    // else right above the module's first statement that uses it, when that is not its first
    // statement anyway: several declarations moved one by one into a module keep their order
    // (each went right after the imports, so they ended up reversed above the class using them)
    const code_ = toSf.statements.filter((st) => !ts.isImportDeclaration(st));
    const firstUser = after ? undefined : code_.find((st) => [...usedNames(st)].some((n) => movedNames.has(n)));
    const before = firstUser && firstUser !== code_[0] ? firstUser : undefined;
    if (after || before) {
      if (after) edits.push({ start: after.end, end: after.end, text: `${toEol}${toEol}${code}` });
      else {
        const at = rangeWithDoc(toText, toSf, before!).start;
        edits.push({ start: at, end: at, text: `${code}${toEol}${toEol}` });
      }
      if (lastKept) {
        if (imports) edits.push({ start: lastKept.end, end: lastKept.end, text: toEol + imports });
      } else if (replaced) edits.push({ ...lineRange(toText, replaced.getStart(toSf), replaced.end), text: imports ? imports + toEol : '' });
      else if (imports) edits.push({ start: headerEnd(toSf), end: headerEnd(toSf), text: imports + toEol + toEol });
    } else if (lastKept) edits.push({ start: lastKept.end, end: lastKept.end, text: `${imports ? toEol + imports : ''}${toEol}${toEol}${code}` });
    else {
      const at = replaced ? lineRange(toText, replaced.getStart(toSf), replaced.end) : { start: headerEnd(toSf), end: headerEnd(toSf) };
      const blankFollows = /^[ \t]*\r?\n/.test(toText.slice(at.end)) || at.end >= toText.length;
      edits.push({ ...at, text: `${imports ? imports + toEol + toEol : ''}${code}${toEol}${blankFollows ? '' : toEol}` });
    }
    out.texts.set(toFile, applyEdits(toText, edits));
  }
  out.counts.declarations++;
  out.moved.push(`${move.name}: ${fromFile} -> ${toFile}${moving.size > 1 ? ` (with ${[...movedNames].filter((n) => n !== move.name).join(', ')})` : ''}`);

  const reexported: NamedSpec[] = [...moving]
    .filter((st) => isExported(st) && !(ts.getModifiers(st as ts.HasModifiers) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword))
    .flatMap((st) => declaredNames(st).map((n) => ({ name: n, alias: n, typeOnly: ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) })));
  followImporters({ fromFile, toFile, movedNames, defaultMoved: defaultExport !== undefined, reexported, importers, read, resolver, out });
}

/**
 * A name the old module only passes through (`export { WebSocket, RawData } from 'ws'`) moves as
 * that re-export: the entry leaves the old module's list (the statement with its last entry), the
 * new module re-exports it from the same module (joining a list from there), and every import of
 * it follows as for a declaration — or the old module, emptied of its own code, would keep it
 * alone, and remove-shim, deleting that module, would take the name from its importers.
 */
function movePassThrough(passing: PassThrough, fromFile: string, fromText: string, sf: ts.SourceFile, toFile: string, existingTo: string | undefined, files: string[], read: (f: string) => string | undefined, resolver: ModuleResolver, out: MoveResult): void {
  const { decl, element } = passing;
  const eol = detectEol(fromText);
  const style = detectImportStyle(sf, fromText, eol);
  const { semi } = sourcePunctuation(sf);
  const spec = decl.moduleSpecifier.text;
  const target = spec.startsWith('.') ? specifierFor(toFile, posix.join(posix.dirname(fromFile), spec), spec) : spec;
  const quoted = stringLiteral(target, quoteOf(decl.moduleSpecifier, sf));
  const moved: NamedSpec = { name: (element.propertyName ?? element.name).text, alias: element.name.text, typeOnly: element.isTypeOnly };
  const els = decl.exportClause.elements;
  const fromEdits = els.length === 1 ? [{ ...lineRange(fromText, decl.getStart(sf), decl.end), text: '' }] : removeElements(els, new Set([element]));
  const left = applyEdits(fromText, fromEdits);
  const bom = fromText.startsWith('\uFEFF') ? '\uFEFF' : '';
  // its last export gone, the module is empty (as a moved declaration leaves it), not a blank line
  out.texts.set(fromFile, left.slice(bom.length).trim() === '' ? bom : left);
  const toText = existingTo ? read(existingTo) : undefined;
  if (toText === undefined) {
    out.texts.set(toFile, `${bom}${renderExport([moved], quoted, semi, style)}${eol}`);
    files.push(toFile);
  } else {
    const toSf = parseSource(toFile, toText).sf;
    const toEol = detectEol(toText);
    // a list the new module already re-exports from that module (of the same type-only-ness) takes it
    const same = toSf.statements.find((st): st is ts.ExportDeclaration => ts.isExportDeclaration(st) && st.isTypeOnly === decl.isTypeOnly && st.exportClause !== undefined && ts.isNamedExports(st.exportClause) && st.moduleSpecifier !== undefined && ts.isStringLiteral(st.moduleSpecifier) && st.moduleSpecifier.text === target);
    const merge = same ? mergeInto(same, [moved], toText, toEol, detectImportStyle(toSf, toText, toEol)) : undefined;
    const rendered = (decl.isTypeOnly ? renderExport([moved], quoted, semi, style).replace(/^export /, 'export type ') : renderExport([moved], quoted, semi, style)).replace(/\r?\n/g, toEol);
    const lastImport = toSf.statements.filter(ts.isImportDeclaration).pop();
    const edits: Edit[] = merge ?? (lastImport ? [{ start: lastImport.end, end: lastImport.end, text: toEol + rendered }] : [{ start: headerEnd(toSf), end: headerEnd(toSf), text: rendered + toEol + toEol }]);
    out.texts.set(toFile, applyEdits(toText, edits));
  }
  out.edits++;
  out.counts.reexports++;
  out.moved.push(`${moved.alias}: ${fromFile} -> ${toFile} (a re-export from ${spec})`);
  const { importers } = importersOf(files, fromFile, read, resolver);
  followImporters({ fromFile, toFile, movedNames: new Set([moved.alias]), defaultMoved: false, reexported: [{ name: moved.alias, alias: moved.alias, typeOnly: decl.isTypeOnly || element.isTypeOnly }], importers, read, resolver, out });
}

interface FollowInput {
  fromFile: string;
  toFile: string;
  movedNames: ReadonlySet<string>;
  /** The old module's default export went along. */
  defaultMoved: boolean;
  /** The moved names a barrel's `export *` of the old module re-exported. */
  reexported: readonly NamedSpec[];
  importers: readonly Importer[];
  read: (f: string) => string | undefined;
  resolver: ModuleResolver;
  out: MoveResult;
}

/** Every import and re-export of a moved name follows it to the new module. */
function followImporters(input: FollowInput): void {
  const { fromFile, toFile, movedNames, defaultMoved, reexported, importers, read, resolver, out } = input;
  const review = (file: string, line: number, message: string) => out.needsReview.push({ file, line, message });
  const fromId = moduleIdOf(fromFile);
  /** A name importers take from the old module that now comes from the new one (`default` when it moved). */
  const follows = (n: string): boolean => movedNames.has(n) || (n === 'default' && defaultMoved);
  // A barrel's `export * from 'old'` re-exported the moved declarations (exported, not the default):
  // they are re-exported by name from the new module beside it (joining a list from there, or none
  // when the barrel already re-exports all of it); once the old module exports nothing, its
  // `export *` goes (a module with no export left is "not a module", TS2306, for the barrel).
  const oldParsed = parseSource(fromFile, out.texts.get(fromFile)!);
  const oldExports = oldParsed.error !== undefined || oldParsed.sf.statements.some((st) => isExported(st) || ts.isExportDeclaration(st) || ts.isExportAssignment(st));
  const reexportMoved = (node: ts.ExportDeclaration, isf: ts.SourceFile, text: string, ieol: string, style: ReturnType<typeof detectImportStyle>, quoted: string, isemi: string, file: string): Edit[] => {
    if (reexported.length === 0) return [];
    const toId = moduleIdOf(toFile);
    const starOfNew = isf.statements.some((st) => ts.isExportDeclaration(st) && !st.exportClause && st.moduleSpecifier !== undefined && ts.isStringLiteral(st.moduleSpecifier) && resolver.resolve(st.moduleSpecifier.text, file) === toId);
    const joined = starOfNew ? undefined : sameKindFrom(isf, node, toId, file, resolver);
    const merge = joined ? mergeInto(joined, reexported, text, ieol, style) : undefined;
    const edits: Edit[] = [];
    if (merge) edits.push(...merge);
    out.edits += reexported.length;
    if (!starOfNew && !merge) {
      const rendered = renderExport(reexported, quoted, isemi, style);
      edits.push(oldExports ? { start: node.end, end: node.end, text: ieol + rendered } : { start: node.getStart(isf), end: node.end, text: rendered });
    } else if (!oldExports) edits.push({ ...lineRange(text, node.getStart(isf), node.end), text: '' });
    return edits;
  };

  // every import of a moved name follows it
  for (const imp of importers) {
    if (imp.file === toFile) continue;
    const text = read(imp.file)!;
    const p = parseSource(imp.file, text);
    const isf = p.sf;
    const ieol = detectEol(text);
    const style = detectImportStyle(isf, text, ieol);
    const edits: Edit[] = [];
    for (const r of moduleReferences(isf)) {
      if (resolver.resolve(r.specifier, imp.file) !== fromId) continue;
      const node = r.node;
      const line = lineColumn(text, node.getStart(isf)).line;
      const lit = r.literal as ts.StringLiteral;
      const target = r.specifier.startsWith('.') ? specifierFor(imp.file, toFile, r.specifier, fromFile) : aliasFor(r.specifier, fromFile, toFile);
      const quoted = stringLiteral(target, quoteOf(lit, isf));
      const isemi = text[node.end - 1] === ';' ? ';' : '';
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.parent === isf) {
        const clauseType = ts.isImportDeclaration(node) ? node.importClause?.isTypeOnly === true : node.isTypeOnly;
        const els = namedElements(node);
        const clause = ts.isImportDeclaration(node) ? node.importClause : undefined;
        if (defaultMoved && clause?.name) {
          // `import Hub from 'old'`: the default followed the declaration
          const nb = clause.namedBindings;
          const movedEls = (els ?? []).filter((el) => follows((el.propertyName ?? el.name).text));
          if (nb && ts.isNamespaceImport(nb)) {
            review(imp.file, line, `import ${clause.name.text}, * as ${nb.name.text} of ${fromFile}: its default export moved to ${toFile}; import it from there`);
            continue;
          }
          if (!els || movedEls.length === els.length) {
            edits.push({ start: lit.getStart(isf), end: lit.end, text: quoted });
            out.edits += 1 + movedEls.length;
            continue;
          }
          const specs: NamedSpec[] = movedEls.map((el) => ({ name: (el.propertyName ?? el.name).text, alias: el.name.text, typeOnly: clauseType || el.isTypeOnly }));
          const named = specs.length ? renderImport(specs, quoted, isemi, style) : undefined;
          edits.push({ start: clause.name.getStart(isf), end: nb!.getStart(isf), text: '' });
          if (movedEls.length) edits.push(...removeElements(els, new Set(movedEls)), ...collapseSelfAliases(els, new Set(movedEls)));
          edits.push({ start: node.end, end: node.end, text: `${ieol}import ${clauseType ? 'type ' : ''}${clause.name.text}${named ? `, ${named.slice(named.indexOf('{'))}` : ` from ${quoted}${isemi}`}` });
          out.edits += 1 + movedEls.length;
          continue;
        }
        if (!els && ts.isExportDeclaration(node) && !node.exportClause) {
          // `export * from 'old'` (a barrel): the moved names it re-exported now come from the new module
          edits.push(...reexportMoved(node, isf, text, ieol, style, quoted, isemi, imp.file));
          continue;
        }
        if (!els && ts.isExportDeclaration(node) && node.exportClause && ts.isNamespaceExport(node.exportClause)) {
          review(imp.file, line, `export * as ${node.exportClause.name.text} of ${fromFile} re-exports moved declarations (${[...movedNames].join(', ')}) under its namespace; re-export them from ${toFile}`);
          continue;
        }
        if (!els) {
          if (ts.isImportDeclaration(node) && node.importClause?.namedBindings && ts.isNamespaceImport(node.importClause.namedBindings)) {
            const ns = node.importClause.namedBindings.name.text;
            if ([...movedNames].some((n) => identifierPattern(`${ns}.${n}`).test(text))) review(imp.file, line, `namespace import ${ns} of ${fromFile} uses a moved declaration (${[...movedNames].join(', ')}); import it from ${toFile}`);
          }
          continue;
        }
        const moved = els.filter((el) => follows((el.propertyName ?? el.name).text));
        if (moved.length === 0) continue;
        const specs: NamedSpec[] = moved.map((el) => ({ name: (el.propertyName ?? el.name).text, alias: el.name.text, typeOnly: clauseType || el.isTypeOnly }));
        const rendered = ts.isImportDeclaration(node) ? renderImport(specs, quoted, isemi, style) : renderExport(specs, quoted, isemi, style);
        const whole = moved.length === els.length && !(ts.isImportDeclaration(node) && node.importClause?.name);
        // the file already imports (or re-exports) from the new module, e.g. what an earlier move
        // took there: the names join that list (of the same type-only-ness) rather than a second
        // line from the same module
        const joined = sameKindFrom(isf, node, moduleIdOf(toFile), imp.file, resolver);
        const merge = joined ? mergeInto(joined, specs, text, ieol, style) : undefined;
        if (merge) {
          if (whole) edits.push({ ...lineRange(text, node.getStart(isf), node.end), text: '' });
          else edits.push(...removeElements(els, new Set(moved)), ...collapseSelfAliases(els, new Set(moved)));
          edits.push(...merge);
        } else if (whole) edits.push({ start: node.getStart(isf), end: node.end, text: rendered });
        else {
          edits.push(...removeElements(els, new Set(moved)), ...collapseSelfAliases(els, new Set(moved)));
          edits.push({ start: node.end, end: node.end, text: ieol + rendered });
        }
        out.edits += moved.length;
      } else if (r.kind === 'import-type' && ts.isImportTypeNode(node)) {
        const q = node.qualifier;
        const head = q ? (ts.isIdentifier(q) ? q.text : leftmost(q)) : undefined;
        if (head && follows(head)) {
          edits.push({ start: lit.getStart(isf), end: lit.end, text: quoted });
          out.edits++;
        }
      } else if (r.kind === 'require' || r.kind === 'dynamic-import' || r.kind === 'import-equals') {
        if ([...movedNames].some((n) => identifierPattern(n).test(text))) review(imp.file, line, `${r.kind} of ${fromFile} may use a moved declaration (${[...movedNames].join(', ')}); point it at ${toFile}`);
      }
    }
    if (edits.length > 0) out.texts.set(imp.file, applyEdits(text, edits));
  }
}

interface Importer { file: string; text: string; sf: ts.SourceFile }

/** The files that import (or re-export) module `fromFile`, the names they take from it, and whether one uses it whole. */
function importersOf(files: readonly string[], fromFile: string, read: (f: string) => string | undefined, resolver: ModuleResolver): { importers: Importer[]; importedElsewhere: Set<string>; wholeModuleUse: boolean } {
  const fromId = moduleIdOf(fromFile);
  const importers: Importer[] = [];
  const importedElsewhere = new Set<string>();
  let wholeModuleUse = false;
  const token = posix.basename(fromId) === 'index' ? posix.basename(posix.dirname(fromId)) : posix.basename(fromId);
  for (const f of files) {
    if (f === fromFile || !/\.[cm]?[jt]sx?$/.test(f) || f.endsWith('.d.ts')) continue;
    const text = read(f);
    if (text === undefined || (!text.includes(token) && !text.includes("'.'") && !text.includes('".."'))) continue;
    const p = parseSource(f, text);
    if (p.error) continue;
    const refs = moduleReferences(p.sf).filter((r) => resolver.resolve(r.specifier, f) === fromId);
    if (refs.length === 0) continue;
    importers.push({ file: f, text, sf: p.sf });
    for (const r of refs) {
      const elements = ts.isImportDeclaration(r.node) || ts.isExportDeclaration(r.node) ? namedElements(r.node) : undefined;
      if (elements) for (const el of elements) importedElsewhere.add((el.propertyName ?? el.name).text);
      else wholeModuleUse = true;
    }
  }
  return { importers, importedElsewhere, wholeModuleUse };
}

/**
 * Another top-level named import (for an import) or `export { } from` (for a re-export) of the
 * file whose specifier resolves to module `id`: what a moved name's import can join.
 */
function sameKindFrom(sf: ts.SourceFile, node: ts.ImportDeclaration | ts.ExportDeclaration, id: string, file: string, resolver: ModuleResolver): ts.ImportDeclaration | ts.ExportDeclaration | undefined {
  for (const st of sf.statements) {
    if (st === node || !(ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) || ts.isImportDeclaration(st) !== ts.isImportDeclaration(node)) continue;
    const spec = st.moduleSpecifier;
    if (!spec || !ts.isStringLiteral(spec) || resolver.resolve(spec.text, file) !== id) continue;
    if (ts.isImportDeclaration(st) && (!st.importClause?.namedBindings || !ts.isNamedImports(st.importClause.namedBindings))) continue;
    if (ts.isExportDeclaration(st) && (!st.exportClause || !ts.isNamedExports(st.exportClause))) continue;
    // `import type { … }` joins `import type { … }` only, a value list a value list: merging across
    // would write inline `type` modifiers, which a file that never used them may not compile (TS < 4.5)
    if (clauseTypeOnly(st) !== clauseTypeOnly(node)) continue;
    return st;
  }
  return undefined;
}

const clauseTypeOnly = (d: ts.ImportDeclaration | ts.ExportDeclaration): boolean => (ts.isImportDeclaration(d) ? d.importClause?.isTypeOnly === true : d.isTypeOnly);

/** Local names an import declaration binds (default, namespace, named). */
function importedLocals(st: ts.ImportDeclaration): string[] {
  const c = st.importClause;
  if (!c) return [];
  const nb = c.namedBindings;
  return [...(c.name ? [c.name.text] : []), ...(nb && ts.isNamespaceImport(nb) ? [nb.name.text] : []), ...(nb && ts.isNamedImports(nb) ? nb.elements.map((e) => e.name.text) : [])];
}

function leftmost(q: ts.EntityName): string {
  return ts.isIdentifier(q) ? q.text : leftmost(q.left);
}

/** The first relative specifier of the file, whose suffix style (`.js` or none) new specifiers copy. */
function firstSpecifierLike(sf: ts.SourceFile): string | undefined {
  for (const r of moduleReferences(sf)) if (r.specifier.startsWith('.')) return r.specifier;
  return undefined;
}

