/**
 * A CommonJS JavaScript legacy module, read for strangle on its ts-morph project: what it exports
 * (the type checker then reads what each export is). What is read, and which modules are refused
 * with the line and the reason, is decided once, in commonjs-shape.ts; this only hands the nodes
 * over as ts-morph nodes.
 */
import { ts as morphTs, type Node, type SourceFile } from 'ts-morph';
import type * as TS from 'typescript';
import { readCommonJsShape, type TsApi } from './commonjs-shape.js';

export interface CommonJsExport {
  /** `default` for the whole export (`module.exports = E`), else the exported property name. */
  name: string;
  /** The exported expression (the type checker reads what it is). */
  node: Node;
  line: number;
  /** Where the name is written (`exports.name`, `{ name }`): what a reference search starts from. */
  nameNode?: Node;
}

export type CommonJsReading = { ok: true; whole: CommonJsExport | undefined; named: CommonJsExport[] } | { ok: false; line: number; reason: string };

/** Reads the module's exports from its top-level statements, or says why they cannot be read (commonjs-shape.ts; `wholeObject` there). */
export function readCommonJs(sf: SourceFile, wholeObject = false): CommonJsReading {
  // ts-morph's bundled TypeScript parsed this tree: its own API reads it (another version than ours)
  const shape = readCommonJsShape(morphTs as unknown as TsApi, sf.compilerNode as unknown as TS.SourceFile, wholeObject);
  if (!shape.ok) return shape;
  const wrap = (n: TS.Node): Node => {
    const raw = sf.compilerNode as unknown as TS.SourceFile;
    // the innermost node of that range, then up to the very node (a wrapper and its only child may share a range)
    let w: Node | undefined = sf.getDescendantAtStartWithWidth(n.getStart(raw), n.getWidth(raw));
    while (w && (w.compilerNode as unknown) !== n) w = w.getParent();
    return w ?? sf.getDescendants().find((d) => (d.compilerNode as unknown) === n)!;
  };
  const out = (x: { name: string; node: TS.Node; line: number; nameNode?: TS.Node }): CommonJsExport => ({ name: x.name, node: wrap(x.node), line: x.line, ...(x.nameNode ? { nameNode: wrap(x.nameNode) } : {}) });
  return { ok: true, whole: shape.whole ? out(shape.whole) : undefined, named: shape.named.map(out) };
}
