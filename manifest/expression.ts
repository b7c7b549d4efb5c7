/**
 * Code-carrying manifest strings (member, adapter-method and factory templates) are written into
 * generated code, so each must be exactly one TypeScript expression: `a; b`, `x) ; evil(` or a
 * statement is refused. Parsed with the toolkit's own typescript, loaded on first use through the
 * toolkit's one loader (ts-load.js), so loading a manifest without templates costs nothing.
 */
import type ts from 'typescript';

import { typescript as tsApi } from './ts-load.js';

/** Why `text` is not exactly one expression, or undefined when it is. */
export function expressionProblem(text: string): string | undefined {
  const t = tsApi();
  // Wrapped in parentheses: the whole text must then be the one parenthesized expression (a `)`
  // in the text that closes early leaves a second statement or a call; a trailing line comment
  // swallows the closing parenthesis, as it would swallow the code written after it).
  const source = `(${text})`;
  const sf = t.createSourceFile('template.ts', source, t.ScriptTarget.Latest, true, t.ScriptKind.TS);
  const diagnostics = (sf as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  // A line comment (`// note`, leading or trailing) parses here, on its own line, but the rewrite writes
  // the template on the call's line, where it swallows the rest of the statement: refused now, naming
  // the field, not as unparsable output in a phase (block comments end where they say)
  const line = lineComment(t, sf, source);
  if (line !== undefined) return `a line comment (${JSON.stringify(line)}) in ${JSON.stringify(text)}: the template is written on the line of the code it replaces, where the comment would swallow the rest of that line; remove it (a /* block comment */ is kept)`;
  if (diagnostics.length > 0) return `expected one TypeScript expression, got ${JSON.stringify(text)} (${t.flattenDiagnosticMessageText(diagnostics[0]!.messageText, ' ')})`;
  const [first, ...rest] = sf.statements;
  const whole = first !== undefined && rest.length === 0 && t.isExpressionStatement(first) && t.isParenthesizedExpression(first.expression) && first.expression.getStart(sf) === 0 && first.expression.end === source.length;
  if (!whole) return `expected exactly one TypeScript expression, got ${JSON.stringify(text)} (it is not one expression: statements, ";" or unbalanced brackets)`;
  return undefined;
}

/** The first `// …` comment of the parsed text (read from the tree's trivia: a `//` in a string or a regex is none). */
function lineComment(t: typeof ts, sf: ts.SourceFile, source: string): string | undefined {
  let found: string | undefined;
  const at = (ranges: ts.CommentRange[] | undefined) => {
    const r = ranges?.find((c) => c.kind === t.SyntaxKind.SingleLineCommentTrivia);
    if (r && found === undefined) found = source.slice(r.pos, Math.min(r.end, source.length - 1)); // not the wrapper's `)`
  };
  const visit = (n: ts.Node): void => {
    if (found !== undefined) return;
    at(t.getLeadingCommentRanges(source, n.pos));
    at(t.getTrailingCommentRanges(source, n.end));
    n.getChildren(sf).forEach(visit);
  };
  visit(sf);
  return found;
}
