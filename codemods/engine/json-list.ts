/**
 * Removes one string from a top-level array of a JSON(C) file (a tsconfig's `exclude`, the
 * manifest's `exclude`) as a text splice: comments, order and formatting elsewhere stay as
 * written. A regex over the whole file would also hit the same string under another key.
 */
import ts from './ts-api.js';
import { applyEdits } from './edits.js';

/** `text` without the element `value` of the top-level array `key`; unchanged when absent. */
export function withoutArrayElement(text: string, key: string, value: string): string {
  const sf = ts.parseJsonText('config.json', text);
  const root = sf.statements[0]?.expression;
  if (!root || !ts.isObjectLiteralExpression(root)) return text;
  const prop = root.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isStringLiteral(p.name) || ts.isIdentifier(p.name)) && p.name.text === key);
  if (!prop || !ts.isArrayLiteralExpression(prop.initializer)) return text;
  const els = prop.initializer.elements;
  const i = els.findIndex((e) => ts.isStringLiteral(e) && e.text === value);
  if (i < 0) return text;
  // with the comma before it (or, for the first element, the one after it)
  const start = i > 0 ? els[i - 1]!.end : els[i]!.getStart(sf);
  const end = i > 0 ? els[i]!.end : i + 1 < els.length ? els[i + 1]!.getStart(sf) : els[i]!.end;
  return applyEdits(text, [{ start, end, text: '' }]);
}
