/**
 * Whether strangle can write a facade for a legacy module file, decided from its text alone: the
 * one answer strangle acts on (plan.ts) and discover (the inventory) and init (the transcript) warn
 * with, before a person learns it from strangle's refusal. No type checker and no ts-morph: the
 * file is parsed by the engine, and a CommonJS module's exports are read by commonjs-shape.ts.
 */
import ts from '../engine/ts-api.js';
import type * as TS from 'typescript';
import { parseSource } from '../engine/parse.js';
import { globalScriptDeclarations, isCommonJsScript } from '../engine/module-kind.js';
import { readCommonJsShape } from './commonjs-shape.js';
import { frozenPathOf, isFacadeText } from './layout.js';

export type StrangleReadiness =
  /** strangled by an earlier run */
  | { kind: 'facade' }
  /**
   * strangle leaves it byte-identical: `reason` says why, at `line`. `globals`: the file is a
   * global script declaring these names (engine/module-kind.ts globalScriptDeclarations), used by
   * name from anywhere without an import — remove-shim refuses to delete it too.
   */
  | { kind: 'refused'; line: number; reason: string; globals?: string[] }
  /**
   * the module exports nothing (move-declarations or a split moved everything out of it): there is
   * no entry point to route, so strangle leaves it as it is and remove-shim deletes it. A global
   * script declaring something is not empty but refused (its globals are used without an import).
   */
  | { kind: 'empty' }
  /** strangle writes its facade; `commonJs`: a CommonJS facade (require / module.exports) */
  | { kind: 'ready'; sf: TS.SourceFile; commonJs: boolean };

/**
 * `frozenExists`: whether the file's frozen sibling (`x.legacy.ts`) is already in the tree — strangle
 * never overwrites a file that is not its own.
 */
export function strangleReadiness(file: string, text: string, frozenExists: boolean): StrangleReadiness {
  if (isFacadeText(text)) return { kind: 'facade' };
  if (frozenExists) return { kind: 'refused', line: 1, reason: `${frozenPathOf(file)} already exists but ${file} is not a generated facade` };
  const { sf, error } = parseSource(file, text);
  if (error) return { kind: 'refused', line: error.line, reason: `does not parse (${error.message})` };
  const commonJs = isCommonJsScript(file, sf);
  if (commonJs) {
    const shape = readCommonJsShape(ts, sf);
    if (!shape.ok) return { kind: 'refused', line: shape.line, reason: `a CommonJS module whose exports cannot be read safely: ${shape.reason}` };
    if (!shape.whole && shape.named.length === 0) return { kind: 'empty' };
  } else {
    // a global script is not an emptied module: what it declares is used without an import, and a
    // facade (a module) would take those globals away from every file that uses them
    const globals = globalScriptDeclarations(file, sf);
    if (globals?.length) {
      const names = [...new Set(globals.map((g) => g.name))];
      return { kind: 'refused', line: sf.getLineAndCharacterOfPosition(globals[0]!.node.getStart(sf)).line + 1, reason: globalScriptReason(names), globals: names };
    }
    if (!sf.statements.some(exportsSomething)) return { kind: 'empty' };
  }
  return { kind: 'ready', sf, commonJs };
}

/** Why a global script is not strangled (what strangle, discover, init and remove-shim say). */
export function globalScriptReason(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? `, … ${names.length - 5} more` : '');
  return `a global script (no import or export) declaring ${shown}: other files use its globals by name without any import, which neither a facade (a module) nor remove-shim's gate can see; make it a module (export what it declares, import it where it is used) and run strangle again, or take it out of legacy[]`;
}

/** A top-level statement that exports: `export …` in any form, `export =`, `export default`. */
function exportsSomething(st: TS.Statement): boolean {
  if (ts.isExportDeclaration(st) || ts.isExportAssignment(st)) return true;
  return ts.canHaveModifiers(st) && (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** A legacy module file strangle will refuse, with where and why (what discover and init print). */
export interface StrangleRefusal {
  /** The manifest's module id (repo-relative, no extension). */
  module: string;
  file: string;
  line: number;
  reason: string;
}

/**
 * Every legacy module file (`modules`: module id → file, layout.ts moduleFiles) that strangle will
 * refuse, in module order. A facade is not refused (strangled already).
 */
export function strangleRefusals(modules: ReadonlyMap<string, string>, read: (file: string) => string | undefined): StrangleRefusal[] {
  const out: StrangleRefusal[] = [];
  for (const [module, file] of [...modules].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const text = read(file);
    if (text === undefined) continue;
    const r = strangleReadiness(file, text, read(frozenPathOf(file)) !== undefined);
    if (r.kind === 'refused') out.push({ module, file, line: r.line, reason: r.reason });
  }
  return out;
}

/** "strangle will refuse: <reason>, file:line", the line discover and init print per module. */
export function describeRefusal(r: StrangleRefusal): string {
  return `strangle will refuse ${r.module}: ${r.reason}, ${r.file}:${r.line}`;
}
