/**
 * How a file writes its imports, so edited and new import/export lists look hand-made: print
 * width, indentation of one-per-line lists, trailing commas, spaces inside braces. Read from the
 * repo's formatter configuration when present (`.prettierrc*`, `package.json#prettier`,
 * `.editorconfig`), then from the file's own imports, which win for everything they show; and
 * the quote and semicolon habit a new line copies (`sourcePunctuation`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { moduleReferences } from './import-forms.js';
import ts from './ts-api.js';

/** What the repo's formatter configuration says (plain data: sent to workers with the context). */
export interface RepoStyle {
  printWidth?: number;
  useTabs?: boolean;
  tabWidth?: number;
  /** false when trailing commas are turned off ("none"). */
  trailingComma?: boolean;
  bracketSpacing?: boolean;
  /** Where it was read from, for reports. */
  source?: string;
}

export interface ImportStyle {
  /** Lines of import/export lists longer than this are broken one entry per line. */
  width: number;
  /** One indentation level of a one-per-line list. */
  indent: string;
  trailingComma: boolean;
  /** `{ A }` rather than `{A}`. */
  bracketSpacing: boolean;
  eol: string;
}

const PRETTIER_FILES = ['.prettierrc', '.prettierrc.json', '.prettierrc.json5', '.prettierrc.yaml', '.prettierrc.yml', '.prettierrc.toml'];

/** The repo's formatter settings (root configuration files only; overrides per glob are not read). */
export function readRepoStyle(repoDir: string): RepoStyle {
  const style: RepoStyle = {};
  const ec = join(repoDir, '.editorconfig');
  if (existsSync(ec)) Object.assign(style, editorconfigStyle(readFileSync(ec, 'utf8')));
  let prettier: Record<string, unknown> | undefined;
  let source: string | undefined;
  for (const f of PRETTIER_FILES) {
    const p = join(repoDir, f);
    if (!existsSync(p)) continue;
    prettier = parseLooseConfig(readFileSync(p, 'utf8'));
    source = f;
    break;
  }
  if (!prettier) {
    try {
      const pj = JSON.parse(readFileSync(join(repoDir, 'package.json'), 'utf8')) as { prettier?: unknown };
      if (pj.prettier && typeof pj.prettier === 'object') {
        prettier = pj.prettier as Record<string, unknown>;
        source = 'package.json#prettier';
      }
    } catch {
      // no package.json, or not JSON: nothing to read
    }
  }
  if (prettier) {
    // a Prettier config present means Prettier's defaults for whatever it leaves out
    style.printWidth = num(prettier['printWidth']) ?? style.printWidth ?? 80;
    style.tabWidth = num(prettier['tabWidth']) ?? style.tabWidth ?? 2;
    style.useTabs = typeof prettier['useTabs'] === 'boolean' ? prettier['useTabs'] : (style.useTabs ?? false);
    style.trailingComma = prettier['trailingComma'] === undefined ? true : prettier['trailingComma'] !== 'none';
    style.bracketSpacing = prettier['bracketSpacing'] !== false;
    style.source = source;
  }
  return style;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** JSON, or the flat `key: value` YAML / `key = value` TOML a formatter config usually is. */
function parseLooseConfig(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object') return v as Record<string, unknown>;
  } catch {
    // not JSON
  }
  const out: Record<string, unknown> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*["']?([A-Za-z]+)["']?\s*[:=]\s*["']?([^"'#,\s]+)["']?\s*,?\s*(?:#.*)?$/.exec(line);
    if (!m) continue;
    const raw = m[2]!;
    out[m[1]!] = raw === 'true' ? true : raw === 'false' ? false : /^\d+$/.test(raw) ? Number(raw) : raw;
  }
  return out;
}

/** `max_line_length`, `indent_style`, `indent_size` of the `[*]` / `*.ts`-like sections. */
function editorconfigStyle(text: string): RepoStyle {
  const style: RepoStyle = {};
  let applies = true;
  for (const line of text.split(/\r?\n/)) {
    const sec = /^\s*\[(.*)\]\s*$/.exec(line);
    if (sec) {
      const g = sec[1]!;
      applies = g === '*' || /(^|[{,.*])tsx?\b|\bts\b|\{[^}]*\bts\b/.test(g) || g === '*.{js,ts}';
      continue;
    }
    if (!applies) continue;
    const kv = /^\s*([a-z_]+)\s*=\s*(\S+)\s*$/.exec(line);
    if (!kv) continue;
    const [, k, v] = kv;
    if (k === 'max_line_length' && /^\d+$/.test(v!)) style.printWidth = Number(v);
    if (k === 'indent_style') style.useTabs = v === 'tab';
    if (k === 'indent_size' && /^\d+$/.test(v!)) style.tabWidth = Number(v);
  }
  if (style.printWidth !== undefined || style.useTabs !== undefined) style.source = '.editorconfig';
  return style;
}

function listOf(st: ts.Statement): ts.NamedImports | ts.NamedExports | undefined {
  if (ts.isImportDeclaration(st)) {
    const nb = st.importClause?.namedBindings;
    return nb && ts.isNamedImports(nb) ? nb : undefined;
  }
  if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) return st.exportClause;
  return undefined;
}

/**
 * The file's import style: what its own import/export lists show (a one-per-line list gives the
 * indent and the trailing-comma habit; the widest single-line import is a floor for the width),
 * completed by the repo configuration. Without a configured width, a file with one-per-line
 * lists is taken to break at 80 (or its widest single-line import, if wider); a file without
 * any is never broken.
 */
export function detectImportStyle(sf: ts.SourceFile, text: string, eol: string, repo: RepoStyle = {}): ImportStyle {
  let indent: string | undefined;
  let trailing: boolean | undefined;
  let spacing: boolean | undefined;
  let widestSingle = 0;
  let anyMultiline = false;
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) && !ts.isExportDeclaration(st)) continue;
    const list = listOf(st);
    const start = st.getStart(sf);
    const body = text.slice(start, st.end);
    if (!body.includes('\n')) widestSingle = Math.max(widestSingle, st.end - lineStart(text, start));
    if (!list || list.elements.length === 0) continue;
    const open = list.getStart(sf);
    const first = list.elements[0]!;
    const last = list.elements[list.elements.length - 1]!;
    const inner = text.slice(open + 1, first.getStart(sf));
    if (inner.includes('\n')) {
      anyMultiline = true;
      indent ??= /[ \t]*$/.exec(text.slice(lineStart(text, first.getStart(sf)), first.getStart(sf)))![0].slice(
        /^[ \t]*/.exec(text.slice(lineStart(text, start), start))![0].length,
      );
      trailing ??= /^\s*,/.test(text.slice(last.end, list.end));
    } else spacing ??= inner.length > 0;
  }
  const unit = repo.useTabs ? '\t' : ' '.repeat(repo.tabWidth ?? 2);
  const width = repo.printWidth ?? (anyMultiline ? Math.max(80, widestSingle) : Number.POSITIVE_INFINITY);
  return {
    width,
    indent: indent !== undefined && indent.length > 0 ? indent : unit,
    trailingComma: trailing ?? repo.trailingComma ?? true,
    bracketSpacing: spacing ?? repo.bracketSpacing ?? true,
    eol,
  };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** `{ A, B }` on one line, or one entry per line at `base + indent` when the line would be too wide (two entries or more). */
export function renderBraces(entries: readonly string[], style: ImportStyle, base: string, prefixLen: number, suffixLen: number): string {
  const sp = style.bracketSpacing ? ' ' : '';
  const one = entries.length === 0 ? '{}' : `{${sp}${entries.join(', ')}${sp}}`;
  // a single entry stays on its line however long, as Prettier keeps it
  if (entries.length <= 1 || prefixLen + one.length + suffixLen <= style.width) return one;
  const lines = entries.map((e, i) => `${base}${style.indent}${e}${i < entries.length - 1 || style.trailingComma ? ',' : ''}`);
  return `{${style.eol}${lines.join(style.eol)}${style.eol}${base}}`;
}


/** How a file writes a statement's punctuation: its module specifiers' quote and its semicolons. */
export interface SourcePunctuation {
  quote: "'" | '"';
  /** `;` when the file ends its statements with one, '' when it does not (ASI style). */
  semi: ';' | '';
}

/**
 * The quote and semicolon habit of a file, for a line a codemod writes into it. A file may mix
 * styles (a pasted snippet, half a reformat): each habit is the majority, a tie going to the
 * first seen, of
 * - quote: its module specifiers (import, export, require, import(), import('…').T); in a file
 *   with none, its other plain string literals, except those holding a quote character (written
 *   with the other quote to avoid an escape) and JSX attributes (double-quoted by convention);
 * - semicolon: the ends of its import and export declarations; in a file with none, the ends of
 *   its statements that take one (at any depth).
 * `'` and `;` when the file shows neither.
 */
export function sourcePunctuation(sf: ts.SourceFile): SourcePunctuation {
  const quotes = new Tally<SourcePunctuation['quote']>();
  for (const r of moduleReferences(sf)) quotes.add(quoteOf(r.literal, sf));
  const semis = new Tally<SourcePunctuation['semi']>();
  const endOf = (n: ts.Node): SourcePunctuation['semi'] => (sf.text[n.end - 1] === ';' ? ';' : '');
  for (const st of sf.statements) if (ts.isImportDeclaration(st) || ts.isExportDeclaration(st) || ts.isImportEqualsDeclaration(st)) semis.add(endOf(st));
  if (quotes.empty || semis.empty) {
    const wantQuote = quotes.empty;
    const wantSemi = semis.empty;
    const visit = (n: ts.Node): void => {
      if (wantQuote && ts.isStringLiteral(n) && !ts.isJsxAttribute(n.parent) && !/['"]/.test(n.text)) quotes.add(quoteOf(n, sf));
      if (wantSemi && terminable(n)) semis.add(endOf(n));
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return { quote: quotes.winner ?? "'", semi: semis.winner ?? ';' };
}

/** A statement that ends with a semicolon unless the file leaves them out. */
function terminable(n: ts.Node): boolean {
  return ts.isVariableStatement(n) || ts.isExpressionStatement(n) || ts.isReturnStatement(n) || ts.isTypeAliasDeclaration(n) || ts.isThrowStatement(n);
}

/** Counts of each value; the winner is the most frequent, a tie going to the first seen. */
class Tally<T> {
  private readonly counts = new Map<T, number>();
  add(v: T): void {
    this.counts.set(v, (this.counts.get(v) ?? 0) + 1);
  }
  get empty(): boolean {
    return this.counts.size === 0;
  }
  get winner(): T | undefined {
    let best: T | undefined;
    let n = 0;
    // Map iteration is insertion order: the first seen wins a tie
    for (const [v, c] of this.counts) if (c > n) [best, n] = [v, c];
    return best;
  }
}

/** The quote a string literal is written with (a template literal counts as `'`): a rewrite of it keeps it. */
export function quoteOf(literal: ts.StringLiteralLike, sf: ts.SourceFile): SourcePunctuation['quote'] {
  return literal.getText(sf)[0] === '"' ? '"' : "'";
}
