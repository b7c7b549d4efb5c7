/**
 * Legacy mentions in comments, and the manifest's policy for them (`comments.legacyMentions`):
 * `report` lists each one; `rewrite` renames a mapped name to its canonical name (an IDE's
 * rename "in comments") and drops the sentence naming an unmapped name, a legacy module or a
 * URL into legacy code together with the rest of its paragraph (which may lean on it; the
 * sentences before it stay) — the lines of a `//` run when the sentences are the lines, the whole
 * comment when nothing is left — keeping the comment's syntax (JSDoc `*` lines, indentation,
 * CRLF, BOM).
 * Directives and license headers are reported, never edited. String literals are code, not docs.
 */
import { applyEdits } from '../engine/edits.js';
import { parseSource } from '../engine/parse.js';
import { lineColumn } from '../engine/text.js';
import type { Edit } from '../engine/types.js';
import { commentUnits, type CommentUnit } from './comments.js';
import { hasTodoMarker } from './markers.js';
import { findMentions, mayMention, vocabularyTokens, withoutBound, type LegacyVocabulary, type Mention } from './vocabulary.js';
import ts from '../engine/ts-api.js';

export interface CommentMention {
  file: string;
  line: number;
  /** The mention as written. */
  text: string;
  kind: Mention['kind'];
  /** What it names (the legacy name or module id). */
  names: string;
  canonical?: string;
  /** Set when the comment is never edited (a tool directive, a license header). */
  protected?: 'directive' | 'license';
}

export interface CommentEdit {
  file: string;
  line: number;
  /** "renamed X to Y", "dropped: <sentence>", "dropped the comment: <text>". */
  message: string;
}

const ABBREVIATION = /(?:^|[\s(])(?:e\.g|i\.e|cf|vs|viz|approx|incl|resp)$/i;
/** Tags whose head (`@param {T} name`) stays when their description goes. */
const TAG_HEAD = /^@(?:param|arg|argument|property|prop|template|typedef|callback|throws|exception|returns?|deprecated|since|example)\b(?:[ \t]+\{[^}\n]*\})?(?:[ \t]+(?<=@(?:param|arg|argument|property|prop|template|typedef|callback)\b.*)\[?[\w$.]+(?:=[^\]\s]*)?\]?)?/;

/**
 * Where sentences start in `prose` (comment lines joined by "\n"): after `.`, `;`, `!`, `?` and a
 * blank (not `e.g.`, not `manager.ts`, not `...`, not inside a code span or a URL), at a
 * paragraph break, a list item, a JSDoc tag and after a tag's head.
 */
export function sentenceStarts(prose: string): number[] {
  const shielded: Array<[number, number]> = [];
  for (const m of prose.matchAll(/`[^`\n]*`|\b[a-z][a-z0-9+.-]*:\/\/[^\s<>()`'"]+/gi)) shielded.push([m.index, m.index + m[0].replace(/(?<!`)[.,;:!?]+$/, '').length]);
  const inShield = (i: number) => shielded.some(([a, b]) => i >= a && i < b);
  const starts = new Set<number>();
  const next = (i: number) => {
    while (i < prose.length && /\s/.test(prose[i]!)) i++;
    return i;
  };
  starts.add(next(0));
  for (let i = 0; i < prose.length; i++) {
    const ch = prose[i]!;
    if ('.;!?'.includes(ch) && (i + 1 === prose.length || /\s/.test(prose[i + 1]!)) && !inShield(i)) {
      if (ch === '.' && (prose[i - 1] === '.' || ABBREVIATION.test(prose.slice(Math.max(0, i - 8), i)))) continue;
      starts.add(next(i + 1));
    } else if (ch === '\n') {
      const rest = prose.slice(i + 1);
      const lead = /^[ \t]*/.exec(rest)![0].length;
      if (/^[ \t]*(?:\n|@\w|[-*+•][ \t]|\d+[.)][ \t])/.test(rest)) starts.add(next(i + 1));
      const head = TAG_HEAD.exec(rest.slice(lead));
      if (head && head[0].length < rest.slice(lead).split('\n')[0]!.trimEnd().length) starts.add(next(i + 1 + lead + head[0].length));
    }
  }
  if (prose.startsWith('@')) {
    const head = TAG_HEAD.exec(prose);
    if (head) starts.add(next(head[0].length));
  }
  return [...starts].filter((s) => s < prose.length).sort((a, b) => a - b);
}

/**
 * Where paragraphs start in `prose` (after the first): after a blank line, at a list item and at a
 * JSDoc tag. A sentence that goes takes the rest of its paragraph with it.
 */
export function paragraphStarts(prose: string): number[] {
  const out: number[] = [];
  for (const m of prose.matchAll(/\n(?=[ \t]*(?:\n|@\w|[-*+•][ \t]|\d+[.)][ \t]))/g)) {
    let i = m.index + 1;
    while (i < prose.length && /\s/.test(prose[i]!)) i++;
    if (i < prose.length && out.at(-1) !== i) out.push(i);
  }
  return out;
}

/** "X", "legacy module M", "X in a URL", "the term \"t\"". */
export function describeMention(m: Pick<Mention, 'kind' | 'names'>): string {
  return m.kind === 'name' ? m.names : m.kind === 'module' ? `legacy module ${m.names}` : m.kind === 'url' ? `${m.names} in a URL` : `the term "${m.names}"`;
}

interface UnitResult {
  edits: Edit[];
  log: Array<{ at: number; message: string }>;
}

const trimEndOf = (prose: string, end: number, from: number): number => {
  while (end > from && /\s/.test(prose[end - 1]!)) end--;
  return end;
};

/** A comment's prose (its lines' text joined by "\n") and the file offset of a prose offset. */
function unitProse(text: string, unit: CommentUnit): { contents: string[]; prose: string; offsets: number[]; toFile: (p: number) => number } {
  const contents = unit.lines.map((l) => text.slice(l.start, l.end));
  const offsets: number[] = [];
  contents.reduce((o, c) => (offsets.push(o), o + c.length + 1), 0);
  const lineOf = (p: number) => {
    let i = 0;
    while (i + 1 < offsets.length && offsets[i + 1]! <= p) i++;
    return i;
  };
  return { contents, prose: contents.join('\n'), offsets, toFile: (p) => unit.lines[lineOf(p)]!.start + (p - offsets[lineOf(p)]!) };
}

/** The edits `rewrite` makes to one comment unit (none for a protected one). */
function rewriteUnit(text: string, unit: CommentUnit, vocab: LegacyVocabulary): UnitResult {
  const { contents, prose, offsets, toFile } = unitProse(text, unit);
  const mentions = findMentions(prose, vocab);
  if (mentions.length === 0 || unit.protected) return { edits: [], log: [] };

  const starts = sentenceStarts(prose);
  const endOf = (k: number) => trimEndOf(prose, starts[k + 1] ?? prose.length, starts[k]!);
  const paragraphs = paragraphStarts(prose);
  /** Sentence index -> why it goes: the mention it names, or none (it follows one of its paragraph that goes). */
  const dropped = new Map<number, Mention | undefined>();
  const sentenceOf = (m: Mention) => Math.max(starts.findLastIndex((s) => s <= m.start), 0);
  // an alias renamed in a sentence that names what it aliases would read `X as X`: that sentence is about the aliasing
  const renamable = (m: Mention) => m.canonical !== undefined && m.kind === 'name' && !(m.aliasOf !== undefined && mentions.some((o) => o.names === m.aliasOf && sentenceOf(o) === sentenceOf(m)));
  for (const m of mentions) {
    if (renamable(m)) continue;
    const k = sentenceOf(m);
    if (!dropped.get(k)) dropped.set(k, m);
    // the rest of its paragraph goes too: what follows a sentence may lean on it ("A rewrite must alias" after
    // the sentence saying what collides), what precedes it was written to be read without it
    const paragraphEnd = paragraphs.find((p) => p > starts[k]!) ?? prose.length;
    for (let j = k + 1; j < starts.length && starts[j]! < paragraphEnd; j++) if (!dropped.has(j)) dropped.set(j, undefined);
  }
  const removals: Array<[number, number, string?]> = [];
  const log: UnitResult['log'] = [];
  for (const [k, m] of [...dropped].sort((x, y) => x[0] - y[0])) {
    const why = m ? `names ${describeMention(m)}` : 'follows a dropped sentence of its paragraph';
    log.push({ at: toFile(starts[k]!), message: `dropped (${why}): ${prose.slice(starts[k], endOf(k)).replace(/\s*\n\s*/g, ' ')}` });
    if (dropped.has(k - 1)) continue;
    // one removal per run of dropped sentences
    let j = k;
    while (dropped.has(j + 1)) j++;
    const s = starts[k]!;
    const end = endOf(j);
    const next = starts[j + 1];
    // followed by a sentence on the same line: up to it; else the blank before it goes, and
    // "A; see B." without "see B." ends "A."
    if (next !== undefined && !prose.slice(end, next).includes('\n')) removals.push([s, next]);
    else if (k === 0) removals.push([s, end]);
    else {
      const prevEnd = endOf(k - 1);
      // (not across a line break: `Notes:` before a list keeps its colon when one item goes)
      if (/[;,:]/.test(prose[prevEnd - 1] ?? '') && !prose.slice(prevEnd, s).includes('\n')) removals.push([prevEnd - 1, end, '.']);
      else removals.push([prevEnd, end]);
    }
  }
  const removed = (a: number, b: number) => removals.some(([s, e]) => a < e && s < b);
  const renames = mentions.filter((m) => renamable(m) && !removed(m.start, m.end));
  for (const m of renames) log.push({ at: toFile(m.start), message: `renamed ${m.text} to ${m.canonical}` });

  // the new prose of each line
  const next = contents.map((c, i) => {
    const a = offsets[i]!;
    const b = a + c.length;
    const ops: Edit[] = [];
    let cutStart = false;
    for (const [s, e, put] of removals) {
      const cs = Math.max(s, a);
      const ce = Math.min(e, b);
      if (cs < ce || (s <= a && e >= b)) {
        ops.push({ start: cs - a, end: Math.max(cs, ce) - a, text: s >= a && s <= b ? (put ?? '') : '' });
        if (cs === a) cutStart = true;
      }
    }
    for (const m of renames) if (m.start >= a && m.end <= b) ops.push({ start: m.start - a, end: m.end - a, text: m.canonical! });
    if (ops.length === 0) return c;
    const out = applyEdits(c, ops.filter((o) => o.start < o.end || o.text !== ''));
    return cutStart ? out.trim() : out.trimEnd();
  });

  const edits: Edit[] = [];
  const hadProse = contents.map((c) => c !== '');
  const isLast = (i: number) => i === unit.lines.length - 1;
  const kept = next.map((c, i) => c !== '' || !hadProse[i]);
  // blank separator lines left leading, trailing or doubled go too (only where a line went)
  if (kept.some((k) => !k)) {
    let prevBlank = false;
    for (let i = 0; i < kept.length; i++) {
      if (!kept[i]) continue;
      if (next[i] !== '' || (unit.kind === 'block' && (i === 0 || isLast(i)))) {
        prevBlank = false;
        continue;
      }
      const before = next.some((c, j) => j < i && kept[j] && c !== '');
      const after = next.some((c, j) => j > i && kept[j] && c !== '');
      if (!before || !after || prevBlank) kept[i] = false;
      else prevBlank = true;
    }
  }

  if (!next.some((c, i) => c !== '' && kept[i])) return { edits: [removeUnit(text, unit)], log: [{ at: unit.start, message: `dropped the comment: ${prose.replace(/\s*\n\s*/g, ' ').slice(0, 120)}` }] };

  // a closer that shared its line with dropped text joins the last line kept (`/** A. B */` → `/** A. */`)
  const last = unit.lines.length - 1;
  const joinAt = unit.kind === 'block' && last > 0 && !kept[last] && hadProse[last] ? next.findLastIndex((c, j) => kept[j] && c !== '') : -1;
  if (joinAt !== -1) edits.push({ start: unit.lines[joinAt]!.end, end: unit.end - 2, text: ' ' });
  unit.lines.forEach((l, i) => {
    if (joinAt !== -1 && i > joinAt) return;
    if (kept[i]) {
      if (next[i] !== contents[i]) edits.push({ start: l.start, end: l.end, text: next[i]! });
      return;
    }
    if (unit.kind === 'block' && i === 0) edits.push({ start: unit.start + unit.opener, end: l.end, text: '' });
    else if (unit.kind === 'block' && isLast(i)) edits.push({ start: skipIndent(text, l.lineStart), end: unit.end - 2, text: '' });
    else edits.push({ start: l.lineStart, end: l.lineEnd, text: '' });
  });
  return { edits, log };
}

const skipIndent = (text: string, from: number): number => {
  let i = from;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i;
};

/** Removes a whole comment: its lines when it is alone on them, else it and the blank beside it. */
function removeUnit(text: string, unit: CommentUnit): Edit {
  const first = unit.lines[0]!;
  if (unit.ownLine) {
    let end = unit.lines.at(-1)!.lineEnd;
    // a header comment followed by a blank line: the blank goes too
    if (first.lineStart <= 1 && /^[ \t]*\r?\n/.test(text.slice(end))) end = text.indexOf('\n', end) + 1;
    return { start: first.lineStart, end, text: '' };
  }
  let s = unit.start;
  while (s > 0 && (text[s - 1] === ' ' || text[s - 1] === '\t')) s--;
  if (s > first.lineStart) return { start: s, end: unit.end, text: '' };
  return { start: unit.start, end: skipIndent(text, unit.end), text: '' };
}

export interface FileComments {
  mentions: CommentMention[];
  /** The rewritten text (policy `rewrite`), when it differs. */
  text?: string;
  edits: CommentEdit[];
}

/** The mentions in one file's comments and, with `rewrite`, the file with them rewritten. A file that does not parse is left alone (and reports nothing). */
export function legacyCommentsOf(file: string, text: string, vocab: LegacyVocabulary, rewrite: boolean): FileComments {
  const { sf, error } = parseSource(file, text);
  if (error) return { mentions: [], edits: [] };
  const mentions: CommentMention[] = [];
  const edits: Edit[] = [];
  const log: CommentEdit[] = [];
  for (const unit of commentUnits(sf, text)) {
    const { prose, toFile } = unitProse(text, unit);
    for (const m of findMentions(prose, vocab)) {
      // a line of the tool's own TODO(ssot) marker names legacy code on purpose: it is counted as a marker
      if (onMarkerLine(text, toFile(m.start))) continue;
      mentions.push({ file, line: lineColumn(text, toFile(m.start)).line, text: m.text.replace(/\s+/g, ' '), kind: m.kind, names: m.names, ...(m.canonical !== undefined ? { canonical: m.canonical } : {}), ...(unit.protected ? { protected: unit.protected } : {}) });
    }
    if (!rewrite) continue;
    const r = rewriteUnit(text, unit, vocab);
    edits.push(...r.edits);
    for (const e of r.log) log.push({ file, line: lineColumn(text, e.at).line, message: e.message });
  }
  if (!edits.length) return { mentions, edits: [] };
  return { mentions, text: applyEdits(text, edits), edits: log };
}

function onMarkerLine(text: string, at: number): boolean {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const end = text.indexOf('\n', at);
  return hasTodoMarker(text.slice(start, end === -1 ? text.length : end));
}

/** Names a file binds (declarations, imports, exports): a derived legacy name still bound is live code. */
export function boundNames(sf: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  const visit = (node: ts.Node): void => {
    if ((ts.isClassDeclaration(node) || ts.isFunctionDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isEnumDeclaration(node) || ts.isImportSpecifier(node) || ts.isExportSpecifier(node) || ts.isImportClause(node) || ts.isNamespaceImport(node) || ts.isVariableDeclaration(node) || ts.isImportEqualsDeclaration(node)) && node.name && ts.isIdentifier(node.name)) out.add(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

export interface RepoComments {
  mentions: CommentMention[];
  /** The mentions left once `rewrite`'s edits are made (directives, license headers); `mentions` without rewrite. */
  left: CommentMention[];
  edits: CommentEdit[];
  /** Files `rewrite` changed, with their new text. */
  writes: Array<{ path: string; content: string }>;
}

/** The comment mentions of `files` (and, with `rewrite`, the rewritten files). */
export function legacyComments(files: readonly string[], read: (f: string) => string | undefined, vocab: LegacyVocabulary, rewrite: boolean): RepoComments {
  const tokens = vocabularyTokens(vocab);
  const derived = [...vocab.names].filter(([, e]) => e.derived).map(([n]) => n);
  const texts = new Map<string, string>();
  // a derived name (an alias, a legacy module's declaration) the code still binds is not legacy now
  const bound = new Set<string>();
  for (const f of files) {
    const t = read(f);
    if (t === undefined || !mayMention(t, vocab, tokens)) continue;
    if (derived.some((n) => t.includes(n))) for (const n of boundNames(parseSource(f, t).sf)) if (vocab.names.get(n)?.derived) bound.add(n);
    // only comment-like text counts (a superset of the comments: `//` and `/* */` anywhere, strings included)
    const commentish = [...t.matchAll(/\/\/[^\n]*/g), ...t.matchAll(/\/\*[\s\S]*?\*\//g)].map((m) => m[0]).join('\n');
    if (mayMention(commentish, vocab, tokens)) texts.set(f, t);
  }
  const v = withoutBound(vocab, bound);
  const out: RepoComments = { mentions: [], left: [], edits: [], writes: [] };
  for (const [f, t] of texts) {
    const r = legacyCommentsOf(f, t, v, rewrite);
    out.mentions.push(...r.mentions);
    out.edits.push(...r.edits);
    if (r.text !== undefined && r.text !== t) {
      out.writes.push({ path: f, content: r.text });
      out.left.push(...legacyCommentsOf(f, r.text, v, false).mentions);
    } else out.left.push(...r.mentions);
  }
  return out;
}
