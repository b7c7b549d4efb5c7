/**
 * The frozen body: the original module text, byte for byte, except that specifiers reaching
 * another strangled module now name that module's frozen sibling. (If a frozen factory
 * imported a facade, the shim's legacy mode would route back through the shim.)
 */
import { applyEdits } from '../engine/edits.js';
import { moduleReferences } from '../engine/import-forms.js';
import { parseSource } from '../engine/parse.js';
import type { ModuleResolver } from '../engine/resolve.js';
import type { Edit } from '../engine/types.js';
import { frozenPathOf } from './layout.js';
import { relativeSpecifier } from '../engine/specifier.js';

/** The original text with specifiers of strangled modules pointed at their frozen siblings. */
export function frozenText(file: string, text: string, resolver: ModuleResolver, strangled: ReadonlyMap<string, string>): { text: string; edits: number } {
  const { sf } = parseSource(file, text);
  const bomShift = text.charCodeAt(0) === 0xfeff && sf.text.charCodeAt(0) !== 0xfeff ? 1 : 0;
  const edits: Edit[] = [];
  for (const { literal: lit } of moduleReferences(sf)) {
    const target = resolver.resolve(lit.text, file);
    const targetFile = target === undefined ? undefined : strangled.get(target);
    if (targetFile === undefined) continue;
    const withJs = /\.[mc]?js$/.test(lit.text);
    const next = relativeSpecifier(file, frozenPathOf(targetFile), withJs);
    const q = text[lit.getStart() + bomShift] ?? "'";
    edits.push({ start: lit.getStart() + bomShift, end: lit.getEnd() + bomShift, text: `${q}${next}${q}` });
  }
  return { text: applyEdits(text, edits), edits: edits.length };
}
