/** Where a declaration lives: in the repo (a path the threading may edit) or outside it. */
import type { Node, SourceFile } from 'ts-morph';
import { moduleIdOf, withoutIndex } from '../engine/module-id.js';

export function inRepo(root: string, sf: SourceFile): boolean {
  const p = sf.getFilePath();
  return p.startsWith(`${root}/`) && !p.includes('/node_modules/') && !sf.isDeclarationFile();
}

export function relPath(root: string, n: Node | SourceFile): string {
  const p = ('getFilePath' in n ? n : n.getSourceFile()).getFilePath();
  return p.startsWith(`${root}/`) ? p.slice(root.length + 1) : p;
}

/** The module id the manifest would write for a file ("src/http/index.ts" → "src/http"). */
export function moduleOf(root: string, n: Node | SourceFile): string {
  return withoutIndex(moduleIdOf(relPath(root, n)));
}

export function lineOf(n: Node): number {
  return n.getStartLineNumber();
}

/** `file:line` as a chain shows it. */
export function at(root: string, n: Node): string {
  return `${relPath(root, n)}:${lineOf(n)}`;
}
