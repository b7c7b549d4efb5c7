import ts from './ts-api.js';
import { lineColumn } from './text.js';

export interface ParseError {
  line: number;
  column: number;
  message: string;
}

export function scriptKindOf(fileName: string): ts.ScriptKind {
  if (fileName.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (fileName.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[mc]?js$/.test(fileName)) return ts.ScriptKind.JS;
  // an extensionless Node script (engine/files.ts listNodeScripts)
  if (!fileName.slice(fileName.lastIndexOf('/') + 1).includes('.')) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/**
 * Parse with the TypeScript parser (syntax only, no program). The parser is tolerant and
 * always returns a tree, so its parse diagnostics decide whether a file may be edited.
 *
 * `jsDoc: false` (a caller that reads no JSDoc tree: SyntaxTransform.jsDoc) parses a TypeScript
 * file's JSDoc comments as plain comments (JSDocParsingMode.ParseNone): the same statements,
 * nodes and parse diagnostics (JSDoc errors are kept apart from them), ~10% less parse CPU on
 * the bench's 20,000 files. A JavaScript file keeps them: there JSDoc types and typedefs are
 * part of what the checker binds.
 */
export function parseSource(fileName: string, text: string, opts?: { jsDoc?: boolean }): { sf: ts.SourceFile; error?: ParseError } {
  const kind = scriptKindOf(fileName);
  const jsDocParsingMode = opts?.jsDoc === false && (kind === ts.ScriptKind.TS || kind === ts.ScriptKind.TSX) ? ts.JSDocParsingMode.ParseNone : ts.JSDocParsingMode.ParseAll;
  const sf = ts.createSourceFile(fileName, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode }, false, kind);
  setParents(sf, jsDocParsingMode === ts.JSDocParsingMode.ParseAll);
  const error = firstParseError(sf, text);
  return error ? { sf, error } : { sf };
}

type Mutable = { parent: ts.Node; jsDoc?: ts.Node[] };
let parentNode: ts.Node;

/** Sets `child.parent` and descends; JSDoc comments' trees are bound under the node they document. */
function bindChild(child: ts.Node): undefined {
  (child as unknown as Mutable).parent = parentNode;
  const saved = parentNode;
  parentNode = child;
  const docs = (child as unknown as Mutable).jsDoc;
  if (docs !== undefined)
    for (const doc of docs) {
      (doc as unknown as Mutable).parent = child;
      parentNode = doc;
      ts.forEachChild(doc, bindChild);
      parentNode = child;
    }
  ts.forEachChild(child, bindChild);
  parentNode = saved;
  return undefined;
}

/**
 * The parent pointers createSourceFile's `setParentNodes` would set (JSDoc trees included), by
 * plain recursion: TypeScript's own pass (setParentRecursive) queues each node's children with
 * Array.unshift through a closure per node, about a sixth of the whole parse of a small file;
 * this walk costs about a third of that (engine/parse.test.ts checks it sets the same parents).
 */
export function setParents(sf: ts.SourceFile, jsDoc = true): void {
  parentNode = sf;
  // no `/**` (or its JSDoc not parsed: `jsDoc` false), no JSDoc: the walk need not look for it on every node (a property most nodes lack: a slow read)
  ts.forEachChild(sf, jsDoc && sf.text.includes('/**') ? bindChild : bindPlainChild);
}

/** bindChild for a file without JSDoc. */
function bindPlainChild(child: ts.Node): undefined {
  (child as unknown as Mutable).parent = parentNode;
  const saved = parentNode;
  parentNode = child;
  ts.forEachChild(child, bindPlainChild);
  parentNode = saved;
  return undefined;
}

/**
 * The first parse error of `text`, or undefined when it parses: the same answer as
 * parseSource's, for a tree nobody walks (the re-parse of a transform's output). No parent
 * pointers (a full walk of the tree) and no JSDoc (whose errors the parser keeps apart from the
 * parse diagnostics): about a third less work per file.
 */
export function parseErrorOf(fileName: string, text: string): ParseError | undefined {
  return firstParseError(parseBareTree(fileName, text), text);
}

/**
 * A tree for a walk from the top that asks nothing of parents or JSDoc (no parent pointers, JSDoc
 * not parsed): about a third less work per file than parseSource.
 */
export function parseBareTree(fileName: string, text: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, scriptKindOf(fileName));
}

function firstParseError(sf: ts.SourceFile, text: string): ParseError | undefined {
  const diags = (sf as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const first = diags[0];
  if (first === undefined) return undefined;
  const { line, column } = lineColumn(text, first.start);
  return { line, column, message: ts.flattenDiagnosticMessageText(first.messageText, '\n') };
}
