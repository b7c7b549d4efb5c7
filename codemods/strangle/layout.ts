/**
 * Where strangle puts things, shared by strangle and remove-shim: the frozen sibling of a
 * legacy module file, the marker a generated facade carries, and which modules are strangled.
 */
import type { SsotManifest } from '../../manifest/types.js';
import { fileStart, headerKind } from '../engine/comment-kinds.js';
import ts from '../engine/ts-api.js';
import { moduleIdOf } from '../engine/module-id.js';
import { legacyModuleOwners } from '../legacy-use/modules.js';

/** First line of every generated facade: how a second run (and remove-shim) recognises one. */
export const FACADE_MARKER = '// ssot-migrate: strangler facade';

/** A legacy module may be TypeScript or plain JavaScript (a JavaScript one gets an untyped facade). */
const SOURCE_EXT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const JS_EXT = /\.(js|jsx|mjs|cjs)$/;

/** `src/x/manager.ts` → `src/x/manager.legacy.ts` (the extension is kept: `manager.js` → `manager.legacy.js`). */
export function frozenPathOf(file: string): string {
  const m = SOURCE_EXT.exec(file);
  if (!m || file.endsWith('.d.ts')) throw new Error(`strangle: not a source file: ${file}`);
  return `${file.slice(0, m.index)}.legacy${m[0]}`;
}

export function isFrozenFile(file: string): boolean {
  return /\.legacy\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(file);
}

/** A JavaScript source: its facade carries no type syntax (types would not parse there). */
export function isJavaScriptFile(file: string): boolean {
  return JS_EXT.test(file);
}

/** A generated facade: the marker first, after what it carries over (a shebang, license comments). */
export function isFacadeText(text: string): boolean {
  let rest = text.replace(/^\uFEFF/, '').replace(/^#![^\n]*\n/, '');
  for (;;) {
    if (rest.startsWith(FACADE_MARKER)) return true;
    const comment = /^(?:\/\*[\s\S]*?\*\/|\/\/[^\r\n]*)/.exec(rest);
    if (!comment || headerKind(comment[0]) !== 'license') return false;
    rest = rest.slice(comment[0].length).replace(/^[ \t]*\r?\n/, '');
  }
}

/**
 * What a facade carries over from the module it replaces, above its marker: the shebang and the
 * license comments before the first statement (a legal notice stays with the file; directives
 * and doc comments were about the frozen body, which keeps them).
 */
export function carriedHeader(text: string): string[] {
  const out: string[] = [];
  const { shebang, commentsFrom } = fileStart(text);
  if (shebang !== undefined) out.push(shebang);
  if (commentsFrom === -1) return out;
  for (const r of ts.getLeadingCommentRanges(text, commentsFrom) ?? []) {
    const c = text.slice(r.pos, r.end);
    if (headerKind(c) === 'license') out.push(c);
  }
  return out;
}


/** Every module the manifest names as legacy (legacy modules, adapter modules, factory modules), as module ids. */
export function legacyModuleIds(manifest: SsotManifest): string[] {
  return [...legacyModuleOwners(manifest).keys()];
}

/** Module id → the repo file that holds it (TypeScript over JavaScript, a `.ts` file first: a `.js` beside a `.ts` is its build output), among `files`. */
export function moduleFiles(ids: readonly string[], files: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const byId = new Map<string, string>();
  for (const f of files) {
    if (!SOURCE_EXT.test(f) || f.endsWith('.d.ts') || isFrozenFile(f)) continue;
    const id = moduleIdOf(f);
    const held = byId.get(id);
    const rank = (x: string): number => (x.endsWith('.ts') ? 0 : isJavaScriptFile(x) ? 2 : 1);
    if (held === undefined || rank(f) < rank(held)) byId.set(id, f);
  }
  for (const id of ids) {
    const f = byId.get(id) ?? byId.get(`${id}/index`);
    if (f !== undefined) out.set(id, f);
  }
  return out;
}
