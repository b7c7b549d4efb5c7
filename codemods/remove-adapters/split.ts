/**
 * The last step of a split (manifest `splits[]`): once this phase has rewritten the uses of a
 * split class's socket members through their templates (plan-file.ts: the class in its app module
 * is described by the members it does not keep), those members leave the class. A member still
 * used — a use the analysis marked TODO(ssot) (no template, assigned, destructured…), or a
 * `this.member` left in a member that stays — stays, with the members it uses, and is listed for
 * review. On the texts this phase has planned: the type guard then checks the result with the
 * rest of the change (a use the checker could not type, e.g. through `any`, is its to catch).
 */
import type { SplitSpec, SsotManifest } from '../../manifest/types.js';
import { applyEdits } from '../engine/edits.js';
import { namedElements, removeElements } from '../engine/named-list.js';
import { parseSource } from '../engine/parse.js';
import { lineColumn, lineStartOf, statementLineRange } from '../engine/text.js';
import ts from '../engine/ts-api.js';
import type { Edit } from '../engine/types.js';
import { fileOfModule } from '../move-declarations/index.js';
import type { ReviewItem } from '../phase/types.js';
import type { FileChange } from './plan-file.js';
import { templatedMembers } from '../../manifest/field-members.js';

export interface SplitResult {
  changes: FileChange[];
  needsReview: ReviewItem[];
  /** Members deleted, `Class.member` each. */
  dropped: string[];
  /**
   * Per split (its index in `splits`), the members that stay only because a member that stays uses
   * them (`this.sockets` in a marked `getUser`), each with its review item: nothing marked them, so
   * their uses elsewhere were rewritten through their templates (widenedSplits).
   */
  held: Array<{ split: number; name: string; by: string }>;
  /** The deleted members by the file they are deleted from (a caller whose guard withdraws a file names only the rest). */
  droppedIn: Map<string, string[]>;
}

type Member = ts.ClassElement & { name?: ts.PropertyName };

const memberName = (m: ts.ClassElement): string | undefined => {
  const n = m.name;
  return n && (ts.isIdentifier(n) || ts.isPrivateIdentifier(n) || ts.isStringLiteral(n)) ? n.text : undefined;
};

/** The class's own uses of `names` on `this` (`this.x`, `this?.x`, `this['x']`, `const { x } = this`) outside `skip`. */
function usesOf(sf: ts.SourceFile, names: ReadonlySet<string>, skip: ReadonlySet<ts.Node>): Array<{ name: string; node: ts.Node }> {
  const out: Array<{ name: string; node: ts.Node }> = [];
  const isThis = (e: ts.Expression): boolean => {
    while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    return e.kind === ts.SyntaxKind.ThisKeyword;
  };
  const visit = (n: ts.Node): void => {
    if (skip.has(n)) return;
    if (ts.isPropertyAccessExpression(n) && isThis(n.expression) && names.has(n.name.text)) out.push({ name: n.name.text, node: n });
    else if (ts.isElementAccessExpression(n) && isThis(n.expression) && ts.isStringLiteralLike(n.argumentExpression) && names.has(n.argumentExpression.text)) out.push({ name: n.argumentExpression.text, node: n });
    else if (ts.isVariableDeclaration(n) && ts.isObjectBindingPattern(n.name) && n.initializer && isThis(n.initializer)) {
      for (const el of n.name.elements) {
        const key = el.propertyName ?? el.name;
        if (ts.isIdentifier(key) && names.has(key.text)) out.push({ name: key.text, node: el });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/**
 * Members of split classes that legacy code this phase does not edit reads (a frozen body, a
 * facade): `x.member` or `x['member']` on any receiver, in a file naming the class. Such code is
 * the rollback target until remove-shim deletes it and must compile until then (swarmstarv2's
 * frozen WebSocketService calls the split WebSocketServer's getUserConnection), so those members
 * stay declared till then; a same-named member of another class only keeps one longer.
 * `Class.member` → file:line of the first read.
 */
export function legacyCalls(splits: readonly SplitSpec[], legacyFiles: readonly string[], read: (file: string) => string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of legacyFiles) {
    const text = read(file);
    const classes = text === undefined ? [] : splits.filter((sp) => new RegExp(`(^|[^\\w$])${sp.class.replace(/[$]/g, "\\$&")}(?![\\w$])`).test(text));
    if (text === undefined || classes.length === 0) continue;
    const parsed = parseSource(file, text);
    if (parsed.error) continue;
    const visit = (n: ts.Node): void => {
      const name = ts.isPropertyAccessExpression(n) ? n.name.text : ts.isElementAccessExpression(n) && ts.isStringLiteralLike(n.argumentExpression) ? n.argumentExpression.text : undefined;
      if (name !== undefined) {
        for (const sp of classes) {
          const key = `${sp.class}.${name}`;
          if (!out.has(key)) out.set(key, `${file}:${lineColumn(text, n.getStart(parsed.sf)).line}`);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(parsed.sf);
  }
  return out;
}

/** The member's text with its doc comment, as whole lines when it is alone on them. */
function memberLines(text: string, sf: ts.SourceFile, m: ts.ClassElement): { start: number; end: number } {
  let start = m.getStart(sf);
  for (const c of (ts.getLeadingCommentRanges(text, m.pos) ?? []).reverse()) {
    if (/\n[ \t]*\r?\n/.test(text.slice(c.end, start))) break;
    start = c.pos;
  }
  return statementLineRange(text, start, m.end);
}

/**
 * The deletions of several members: neighbours (only blank lines between) merged into one range,
 * each leaving one blank line where it was set apart by blank lines, none before the class's `}`.
 */
function memberRanges(text: string, sf: ts.SourceFile, members: readonly ts.ClassElement[], closeBrace: number): Array<{ start: number; end: number }> {
  const raw = members.map((m) => memberLines(text, sf, m)).sort((a, b) => a.start - b.start);
  const merged: Array<{ start: number; end: number }> = [];
  for (const r of raw) {
    const last = merged[merged.length - 1];
    if (last && /^[ \t\r\n]*$/.test(text.slice(last.end, r.start))) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged.map((r) => {
    if (r.start !== lineStartOf(text, r.start)) return r;
    const prev = r.start > 0 ? lineStartOf(text, r.start - 1) : undefined;
    const blankAbove = prev !== undefined && /^[ \t]*\r?\n$/.test(text.slice(prev, r.start));
    const next = /^[ \t]*\r?\n/.exec(text.slice(r.end));
    // the class's last members: the blank line above them goes (none is left before `}`)
    if (blankAbove && lineStartOf(text, closeBrace) === r.end) return { start: prev!, end: r.end };
    if (blankAbove && next) return { start: r.start, end: r.end + next[0].length };
    return r;
  });
}

export function dropSplitMembers(input: {
  splits: readonly SplitSpec[];
  /** The files this phase may edit (the legacy modules and frozen files excluded). */
  files: readonly string[];
  read(file: string): string | undefined;
  changes: readonly FileChange[];
  /** Uses the analysis marked TODO(ssot), `Class.member` → file:line. */
  marked: ReadonlyMap<string, string>;
  /** Members planned again as kept (widenedSplits): each is reported, with the member that holds it. */
  held?: SplitResult['held'];
  /** Reads in legacy code this phase does not edit (legacyCalls), `Class.member` → file:line. */
  legacyCalls?: ReadonlyMap<string, string>;
}): SplitResult {
  const after = new Map(input.changes.map((c) => [c.file, c] as const));
  const textOf = (f: string): string | undefined => after.get(f)?.after ?? input.read(f);
  const out: SplitResult = { changes: [], needsReview: [], dropped: [], held: [], droppedIn: new Map() };
  for (const [index, split] of input.splits.entries()) {
    const file = fileOfModule(input.files, split.to);
    const text = file === undefined ? undefined : textOf(file);
    if (file === undefined || text === undefined) continue;
    const parsed = parseSource(file, text);
    if (parsed.error) continue;
    const cls = parsed.sf.statements.find((st): st is ts.ClassDeclaration => ts.isClassDeclaration(st) && st.name?.text === split.class);
    if (!cls) continue;
    const keep = new Set(split.keep);
    const classLine = lineColumn(text, cls.getStart(parsed.sf)).line;
    for (const h of input.held ?? [])
      if (h.split === index) out.needsReview.push({ file, line: classLine, message: `splits: ${split.class}.${h.name} is not kept, but ${h.by}, which stays, uses it: it stays whole with it, its uses not rewritten (one state, not two), until ${h.by} is rewritten or kept` });
    const candidates = new Map<string, Member[]>();
    for (const m of cls.members) {
      const name = memberName(m);
      if (name === undefined || ts.isConstructorDeclaration(m) || keep.has(name)) continue;
      candidates.set(name, [...(candidates.get(name) ?? []), m]);
    }
    if (candidates.size === 0) continue;
    // a member used outside the members that go stays, with what it uses (to a fixpoint)
    const staying = new Map<string, string>(); // name -> why
    // staying only until remove-shim deletes the legacy code reading it, with what it reads: transitional,
    // so it holds nothing (what kept code does with those members is rewritten all the same)
    const transitional = new Set<string>();
    const byLegacy = new Set<string>();
    for (const name of candidates.keys()) {
      const where = input.marked.get(`${split.class}.${name}`);
      const legacy = input.legacyCalls?.get(`${split.class}.${name}`);
      if (where !== undefined) staying.set(name, where);
      else if (legacy !== undefined) {
        staying.set(name, legacy);
        byLegacy.add(name);
        transitional.add(name);
      }
    }
    // the member of the class a node lies in (its name), if any
    const enclosing = (n: ts.Node): string | undefined => {
      for (let a: ts.Node = n; a.parent; a = a.parent) if (a.parent === cls) return memberName(a as ts.ClassElement);
      return undefined;
    };
    // staying only because a member that goes but stays reads it (not a use left in kept code or marked)
    const heldBy = new Map<string, string>();
    for (let changed = true; changed; ) {
      changed = false;
      const going = new Set([...candidates.keys()].filter((n) => !staying.has(n)));
      const skip = new Set<ts.Node>([...going].flatMap((n) => candidates.get(n)!));
      for (const u of usesOf(parsed.sf, going, skip)) {
        if (staying.has(u.name)) continue;
        staying.set(u.name, `${file}:${lineColumn(text, u.node.getStart(parsed.sf)).line}`);
        const by = enclosing(u.node);
        if (by !== undefined && transitional.has(by)) transitional.add(u.name);
        else if (by !== undefined && candidates.has(by)) heldBy.set(u.name, by);
        changed = true;
      }
    }
    for (const [name, where] of staying) {
      if (byLegacy.has(name)) out.needsReview.push({ file, line: classLine, message: `splits: ${split.class}.${name} is not kept but legacy code still calls it (${where}); it stays in the class until remove-shim deletes that code, and goes with it` });
      else if (transitional.has(name)) out.needsReview.push({ file, line: classLine, message: `splits: ${split.class}.${name} is not kept; a member legacy code still calls reads it (${where}), so it stays until remove-shim deletes that code, and goes with it` });
      else out.needsReview.push({ file, line: classLine, message: `splits: ${split.class}.${name} is not kept and still used (${where}, the first use); it stays in the class until that use is rewritten (a template in classes[].members) or it is kept` });
      const by = heldBy.get(name);
      if (by !== undefined) out.held.push({ split: index, name, by });
    }
    const going = [...candidates].filter(([n]) => !staying.has(n));
    if (going.length === 0) continue;
    const goingNodes = new Set<ts.Node>(going.flatMap(([, ms]) => ms));
    const closeBrace = cls.end - 1;
    const edits: Edit[] = memberRanges(text, parsed.sf, going.flatMap(([, ms]) => ms), closeBrace).map((r) => ({ ...r, text: '' }));
    // imports only the deleted members used go with them
    const usedBefore = identifiersOutside(parsed.sf, new Set());
    const usedAfter = identifiersOutside(parsed.sf, goingNodes);
    for (const st of parsed.sf.statements) {
      if (!ts.isImportDeclaration(st) || !st.importClause) continue;
      const clause = st.importClause;
      const els = namedElements(st);
      const dead = (local: string) => usedBefore.has(local) && !usedAfter.has(local);
      const deadEls = (els ?? []).filter((el) => dead(el.name.text));
      const deadDefault = clause.name !== undefined && dead(clause.name.text);
      const deadNs = clause.namedBindings !== undefined && ts.isNamespaceImport(clause.namedBindings) && dead(clause.namedBindings.name.text);
      const remaining = (els?.length ?? 0) - deadEls.length + (clause.name && !deadDefault ? 1 : 0) + (clause.namedBindings && ts.isNamespaceImport(clause.namedBindings) && !deadNs ? 1 : 0);
      if (deadEls.length === 0 && !deadDefault && !deadNs) continue;
      if (remaining === 0) edits.push({ ...statementLineRange(text, st.getStart(parsed.sf), st.end), text: '' });
      else if (deadEls.length > 0 && !deadDefault) edits.push(...removeElements(els!, new Set(deadEls)));
      // a default import beside names that stay: left for a person's linter (rare, and harmless)
    }
    const next = applyEdits(text, edits);
    out.changes.push({ file, before: after.get(file)?.before ?? text, after: next });
    const names = going.map(([n]) => `${split.class}.${n}`);
    out.dropped.push(...names);
    out.droppedIn.set(file, [...(out.droppedIn.get(file) ?? []), ...names]);
  }
  return out;
}

/** Identifier texts used in the file outside its imports and outside `skip`. */
function identifiersOutside(sf: ts.SourceFile, skip: ReadonlySet<ts.Node>): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (skip.has(n) || ts.isImportDeclaration(n)) return;
    if (ts.isIdentifier(n)) out.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/**
 * The manifest to plan again with when a split class keeps a member only because a member that
 * stays uses it, and that member has a template: its uses in the kept members (and elsewhere) were
 * rewritten through it while the member itself stays — `addUser`'s `this.users.set` sent to the hub
 * while the `getUser` that stays still reads `this.users` — one state in two stores. Planned again
 * with such members kept, they stay whole, app code as before (their review items still say why);
 * undefined when nothing needs it.
 */
export function widenedSplits(manifest: SsotManifest, split: SplitResult): SsotManifest | undefined {
  const templated = (i: number, name: string): boolean => {
    const sp = manifest.splits[i]!;
    const described = manifest.classes.find((c) => c.module === sp.module && c.class === sp.class);
    return described !== undefined && templatedMembers(described.members).has(name);
  };
  const add = split.held.filter((h) => templated(h.split, h.name));
  if (add.length === 0) return undefined;
  return { ...manifest, splits: manifest.splits.map((sp, i) => ({ ...sp, keep: [...sp.keep, ...add.filter((h) => h.split === i).map((h) => h.name)] })) };
}

/**
 * remove-adapters' analysis and the split's deletion, planned once more with the held members kept
 * when widenedSplits says so (their review items carried over). `analyze` runs the analysis on a manifest.
 */
export function planWithSplits<R extends { changes: FileChange[]; splitUses?: ReadonlyMap<string, string> }>(
  manifest: SsotManifest,
  analyze: (m: SsotManifest) => R,
  input: { files: readonly string[]; read(file: string): string | undefined; legacyCalls?: ReadonlyMap<string, string> },
): { result: R; split: SplitResult | undefined } {
  let result = analyze(manifest);
  if (manifest.splits.length === 0) return { result, split: undefined };
  const legacy = input.legacyCalls ? { legacyCalls: input.legacyCalls } : {};
  const split = dropSplitMembers({ splits: manifest.splits, files: input.files, read: input.read, changes: result.changes, marked: result.splitUses ?? new Map(), ...legacy });
  const widened = widenedSplits(manifest, split);
  if (!widened) return { result, split };
  result = analyze(widened);
  const held = split.held.filter((h) => !manifest.splits[h.split]!.keep.includes(h.name) && widened.splits[h.split]!.keep.includes(h.name));
  return { result, split: dropSplitMembers({ splits: widened.splits, files: input.files, read: input.read, changes: result.changes, marked: result.splitUses ?? new Map(), held, ...legacy }) };
}
