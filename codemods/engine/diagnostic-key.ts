import { realpathSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import ts from './ts-api.js';

/**
 * The hints TypeScript chains under a module error (TS7016 "Could not find a declaration file for
 * module 'ws'", TS2307), chosen by what else the program holds, not by the error: "Try `npm i
 * --save-dev @types/ws`…" (7035) becomes "If the 'ws' package actually exposes this module,
 * consider sending a pull request…" (7040) as soon as any file of the program resolves to
 * `@types/ws`, e.g. the canonical package's declarations once a rewrite imports them; 7058 when a
 * package of that name bundles types; 6278/6280 name types the resolution did not take
 * (createModuleNotFoundChain in typescript.js). The guard checks programs of different files
 * before and after a change, so these hints say nothing about whether the error is new.
 */
const PROGRAM_DEPENDENT_HINTS: ReadonlySet<number> = new Set([6278, 6280, 7035, 7040, 7058]);

/** A quoted absolute path in a message: `'/repo/node_modules/ws/index.js'`, `'C:\x\y.js'`. */
const QUOTED_PATH = /'((?:\/|[A-Za-z]:[\\/])[^'\n]*)'/g;

/**
 * What a diagnostic is, for matching it against the unchanged tree's: its code and message with
 * the program-dependent hints left out and every absolute path in it spelled one way (its real
 * path, in the host's case: a package linked into node_modules is named by its link when
 * `preserveSymlinks` is on or a tool resolves it so, by its target otherwise). `canonical` is the
 * compiler host's getCanonicalFileName (lower case where file names are case-insensitive).
 */
export function diagnosticKey(d: Pick<ts.Diagnostic, 'code' | 'messageText'>, canonical: (f: string) => string = (f) => f): string {
  const text = ts.flattenDiagnosticMessageText(withoutHints(d.messageText), '\n');
  return `${d.code}:${text.replace(QUOTED_PATH, (_, p: string) => `'${canonical(realPath(p))}'`)}`;
}

function withoutHints(m: string | ts.DiagnosticMessageChain): string | ts.DiagnosticMessageChain {
  if (typeof m === 'string') return m;
  const next = m.next?.filter((n) => !PROGRAM_DEPENDENT_HINTS.has(n.code)).map((n) => withoutHints(n) as ts.DiagnosticMessageChain);
  return { ...m, next };
}

const realPaths = new Map<string, string>();
/** The path's target (the path itself when it does not exist); cached: a message names few paths, many times. */
function realPath(p: string): string {
  if (!isAbsolute(p)) return p;
  let r = realPaths.get(p);
  if (r === undefined) {
    try {
      r = realpathSync.native(p);
    } catch {
      r = p;
    }
    if (realPaths.size > 10_000) realPaths.clear();
    realPaths.set(p, r);
  }
  return r;
}
