/**
 * The class a cast claims its value is: `x as Legacy`, and also `x as Legacy | undefined` (or
 * `| null`, in any order, parenthesised) — the same claim about a value that may be missing. One
 * answer for the syntax-only check (rewrite-imports/held-casts.ts, TypeScript's own API) and the
 * type-aware one (engine/constructions.ts, ts-morph's bundled TypeScript, another version whose
 * SyntaxKind numbers may differ): each passes its own `ts`.
 */
import type * as TS from 'typescript';

type Api = Pick<typeof TS, 'isParenthesizedTypeNode' | 'isTypeReferenceNode' | 'isUnionTypeNode' | 'isLiteralTypeNode' | 'SyntaxKind'>;

/** The one type reference of a cast's type, when everything else in it is `undefined` / `null`; else undefined. */
export function castTypeReference(t: Api, type: TS.TypeNode | undefined): TS.TypeReferenceNode | undefined {
  const unparen = (n: TS.TypeNode): TS.TypeNode => (t.isParenthesizedTypeNode(n) ? unparen(n.type) : n);
  if (!type) return undefined;
  const top = unparen(type);
  if (t.isTypeReferenceNode(top)) return top;
  if (!t.isUnionTypeNode(top)) return undefined;
  let ref: TS.TypeReferenceNode | undefined;
  for (const part of top.types.map(unparen)) {
    if (part.kind === t.SyntaxKind.UndefinedKeyword || (t.isLiteralTypeNode(part) && part.literal.kind === t.SyntaxKind.NullKeyword)) continue;
    if (!t.isTypeReferenceNode(part) || ref) return undefined;
    ref = part;
  }
  return ref;
}
