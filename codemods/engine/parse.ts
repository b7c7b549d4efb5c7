import ts from './ts-api.js';
import { lineColumn } from './text.js';

export interface ParseError {
  line: number;
  column: number;
  message: string;
}

function scriptKindOf(fileName: string): ts.ScriptKind {
  if (fileName.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (fileName.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[mc]?js$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/**
 * Parse with the TypeScript parser (syntax only, no program). The parser is tolerant and
 * always returns a tree, so its parse diagnostics decide whether a file may be edited.
 */
export function parseSource(fileName: string, text: string): { sf: ts.SourceFile; error?: ParseError } {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindOf(fileName));
  const diags = (sf as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const first = diags[0];
  if (first === undefined) return { sf };
  const { line, column } = lineColumn(text, first.start);
  return { sf, error: { line, column, message: ts.flattenDiagnosticMessageText(first.messageText, '\n') } };
}
