/**
 * Finding the node at a position of a parsed file by descending to it: only the nodes on the way
 * are visited (the top-level statement by binary search, then the one child holding the
 * position at each level), instead of a walk of the tree. For questions about a few positions
 * per file (engine/scope.ts NameIndex, engine/splice-check.ts).
 */
import ts from './ts-api.js';

/**
 * The index of the top-level statement whose range [pos, end) (leading trivia included) holds
 * `at`; statements.length when `at` lies in the trivia before the end of the file.
 */
export function statementIndexAt(sf: ts.SourceFile, at: number): number {
  const sts = sf.statements;
  let lo = 0;
  let hi = sts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sts[mid]!.end <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

let seekAt = 0;
let seekFound: ts.Node | undefined;
/** forEachChild callback: the child whose range (leading trivia included) holds seekAt. */
const seekChild = (c: ts.Node): true | undefined => {
  if (c.pos <= seekAt && seekAt < c.end) {
    seekFound = c;
    return true;
  }
  return undefined;
};

/**
 * The deepest node forEachChild reaches whose range [pos, end) holds `at` (a token, an
 * identifier or a literal when `at` is on one, else the innermost node around it); undefined in
 * the trivia at the end of the file. JSDoc trees are not entered (forEachChild does not visit them).
 */
export function deepestNodeAt(sf: ts.SourceFile, at: number): ts.Node | undefined {
  const i = statementIndexAt(sf, at);
  const st = sf.statements[i];
  if (st === undefined || st.pos > at) return undefined;
  let n: ts.Node = st;
  for (;;) {
    seekAt = at;
    seekFound = undefined;
    ts.forEachChild(n, seekChild);
    if (seekFound === undefined) break;
    n = seekFound;
  }
  seekFound = undefined;
  return n;
}
