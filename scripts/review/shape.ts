/**
 * The shape of a hunk: its changed lines with everything that varies from file to file
 * replaced by placeholders, so the same edit made in 300 files is one thing to approve.
 *
 * What varies: string literals (import paths differ per file), comments' wording, and names
 * local to the hunk — an identifier kept on both sides of the edit (`const a = new X(m)` →
 * `const a = m`) or used in the hunk's context lines. What stays literal: keywords and the
 * migration's own vocabulary (the manifest's legacy and canonical names), because those ARE
 * the edit. Context lines are left out: they are the file's own code, not the edit.
 */
import { createHash } from 'node:crypto';

export interface ShapeLine {
  sign: '+' | '-' | ' ';
  text: string;
}

export interface HunkShape {
  /** Stable short hash of the normalised lines: equal keys, same edit. */
  key: string;
  /** Normalised changed lines, each starting with + or -. */
  lines: string[];
  /** How many distinct local names were replaced. */
  placeholders: number;
}

const KEYWORDS = new Set(
  (
    'abstract any as async await boolean break case catch class const constructor continue debugger declare default delete do ' +
    'else enum export extends false finally for from function get if implements import in infer instanceof interface is keyof let ' +
    'module namespace never new null number object of package private protected public readonly require return satisfies set ' +
    'static string super switch symbol this throw true try type typeof undefined unique unknown var void while with yield ' +
    'Promise Map Set Array Object String Number Boolean Error Date JSON Record Partial Readonly console process module exports'
  ).split(' '),
);

type Token = { kind: 'ws' | 'string' | 'comment' | 'ident' | 'other'; text: string };

const TOKEN = /(\s+)|(\/\/.*$|\/\*.*?(?:\*\/|$))|('(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?|`(?:[^`\\]|\\.)*`?)|([A-Za-z_$][\w$]*)|(\d[\w.]*|.)/gy;

/** A one-line tokenizer: good enough for shapes (multi-line strings/comments are rare in edits). */
export function tokenize(line: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < line.length && (m = TOKEN.exec(line))) {
    if (m[1] !== undefined) out.push({ kind: 'ws', text: m[1] });
    else if (m[2] !== undefined) out.push({ kind: 'comment', text: m[2] });
    else if (m[3] !== undefined) out.push({ kind: 'string', text: m[3] });
    else if (m[4] !== undefined) out.push({ kind: 'ident', text: m[4] });
    else out.push({ kind: 'other', text: m[5] ?? '' });
  }
  return out;
}

function commentShape(text: string): string {
  // A TODO(ssot) marker is part of the edit; its wording (which names the site) is not.
  const block = text.startsWith('/*');
  const marker = /TODO\(ssot\)/.test(text) ? ' TODO(ssot): ⟨note⟩' : ' ⟨comment⟩';
  return block ? `/*${marker} */` : `//${marker}`;
}

export function hunkShape(lines: readonly ShapeLine[], vocabulary: ReadonlySet<string> = new Set()): HunkShape {
  const tokenized = lines.map((l) => ({ sign: l.sign, tokens: tokenize(l.text) }));
  const sides = { '+': new Set<string>(), '-': new Set<string>(), ' ': new Set<string>() };
  for (const l of tokenized) for (const t of l.tokens) if (t.kind === 'ident') sides[l.sign].add(t.text);
  const isLocal = (name: string): boolean =>
    !KEYWORDS.has(name) && !vocabulary.has(name) && ((sides['+'].has(name) && sides['-'].has(name)) || sides[' '].has(name));

  const names = new Map<string, string>();
  const out: string[] = [];
  for (const l of tokenized) {
    if (l.sign === ' ') continue;
    let text = '';
    for (const t of l.tokens) {
      if (t.kind === 'ws') text += ' ';
      else if (t.kind === 'string') text += '⟨str⟩';
      else if (t.kind === 'comment') text += commentShape(t.text);
      else if (t.kind === 'ident' && isLocal(t.text)) {
        let p = names.get(t.text);
        if (!p) names.set(t.text, (p = `⟨id${names.size + 1}⟩`));
        text += p;
      } else text += t.text;
    }
    // Indentation is formatting, not the edit.
    text = text.replace(/ +/g, ' ').trim();
    if (text === '') continue;
    out.push(`${l.sign}${text}`);
  }
  const key = createHash('sha1').update(out.join('\n')).digest('hex').slice(0, 10);
  return { key, lines: out, placeholders: names.size };
}
