/**
 * Legacy managers the app constructs itself (server wiring at boot: `const m = new Manager(wss)`,
 * then `global.m = m`), and where each instance is stored. remove-adapters asks it two things:
 * which `constructions[]` entry rewrites a `new` expression, and what a cast of an untyped value
 * (`(global as any).m as Manager`) really holds — the legacy instance (then the cast must keep the
 * legacy type: retyping it canonical would be a false claim) or the value an entry's replacement
 * makes (then it takes the entry's `type`).
 *
 * rewrite-imports asks the second only (rewrite-imports/held-casts.ts): such a cast keeps its
 * legacy binding while the construction stays legacy.
 *
 * A place is keyed by its text with casts, parentheses and `!` looked through, the global object's
 * names (`global`, `globalThis`, `window`) as one, and a local variable by its declaration:
 * `(global as any).wsManager` and `globalThis.wsManager` are one place.
 */
import { Node, SyntaxKind, ts as morphTs, type AsExpression, type Identifier, type NewExpression, type SourceFile, type TypeAssertion, type TypeReferenceNode } from 'ts-morph';
import type * as TS from 'typescript';
import { castTypeReference } from './cast-type.js';
import type { ConstructionSpec, SsotManifest } from '../../manifest/types.js';
import { moduleIdOf, normalizeId } from './module-id.js';
import { bindingUses } from './references.js';

const modId = (m: string): string => normalizeId(m).replace(/\/index$/, '');
const GLOBAL_OBJECT = new Set(['global', 'globalThis', 'window']);

export interface ConstructedClass {
  module: string;
  class: string;
}

/** What a place holds: the legacy instance a construction made, and the entry (if any) this phase rewrites it with. */
export interface StoredInstance extends ConstructedClass {
  /** `file:line` of the construction. */
  at: string;
  entry?: { spec: ConstructionSpec; index: number };
  /** Its class has an entry, but the phase leaves this construction legacy (marked there). */
  unrewritten?: true;
}

export class BootConstructions {
  private readonly legacyModules: Set<string>;
  /** place key → what constructions store there (one place may be written by several). */
  private readonly stored = new Map<string, StoredInstance[]>();

  constructor(private readonly root: string, private readonly manifest: SsotManifest) {
    this.legacyModules = new Set(manifest.legacy.map((l) => modId(l.module)));
  }

  private rel(sf: SourceFile): string {
    const p = sf.getFilePath();
    return p.startsWith(`${this.root}/`) ? p.slice(this.root.length + 1) : p;
  }

  /** The legacy class a `new` expression constructs (by the checker: through aliases and a strangled facade), if any. */
  classOf(node: NewExpression): ConstructedClass | undefined {
    const decl = node.getType().getSymbol()?.getDeclarations()[0];
    if (!decl || !Node.isClassDeclaration(decl) || !decl.getName()) return undefined;
    const mod = modId(moduleIdOf(this.rel(decl.getSourceFile())).replace(/\.legacy$/, ''));
    return this.legacyModules.has(mod) ? { module: mod, class: decl.getName()! } : undefined;
  }

  /** The `constructions[]` entry rewriting this `new` expression, if any. */
  entryOf(node: NewExpression): { spec: ConstructionSpec; index: number } | undefined {
    const c = this.classOf(node);
    if (!c) return undefined;
    const index = (this.manifest.constructions ?? []).findIndex((s) => s.class === c.class && modId(s.module) === c.module);
    return index < 0 ? undefined : { spec: this.manifest.constructions![index]!, index };
  }

  /**
   * Records where each legacy construction in these files is stored: the variable it initialises,
   * and each place that variable (or the construction itself) is assigned to. `rewrites` says
   * whether the phase really rewrites a construction its class has an entry for (one it leaves
   * legacy, marked, keeps storing a legacy instance).
   */
  scan(files: readonly SourceFile[], rewrites: (node: NewExpression, entry: { spec: ConstructionSpec; index: number }) => boolean = () => true): void {
    for (const sf of files) {
      for (const node of sf.getDescendantsOfKind(SyntaxKind.NewExpression)) {
        const cls = this.classOf(node);
        if (!cls) continue;
        const found = this.entryOf(node);
        const entry = found && rewrites(node, found) ? found : undefined;
        const inst: StoredInstance = { ...cls, at: `${this.rel(sf)}:${node.getStartLineNumber()}`, ...(entry ? { entry } : found ? { unrewritten: true } : {}) };
        for (const key of placesOf(node)) this.stored.set(key, [...(this.stored.get(key) ?? []), inst]);
      }
    }
  }

  /**
   * A cast of an untyped value (`any`/`unknown`) to the legacy class a construction stored at
   * that place: what the place holds. Undefined when the cast is anything else.
   */
  castOf(cast: AsExpression | TypeAssertion): StoredInstance[] | undefined {
    const operand = cast.getExpression();
    const ot = operand.getType();
    if (!(ot.isAny() || ot.isUnknown())) return undefined;
    const key = placeKey(operand);
    const held = key === undefined ? undefined : this.stored.get(key);
    if (!held) return undefined;
    const typeNode = castReference(cast);
    if (!typeNode) return undefined;
    const decl = typeNode.getType().getSymbol()?.getDeclarations()[0];
    if (!decl || !Node.isClassDeclaration(decl)) return undefined;
    const mod = modId(moduleIdOf(this.rel(decl.getSourceFile())).replace(/\.legacy$/, ''));
    const same = held.filter((h) => h.class === decl.getName() && h.module === mod);
    return same.length ? same : undefined;
  }
}

/** The class reference a cast claims (`as Legacy`, `as Legacy | undefined`: engine/cast-type.ts), as a ts-morph node. */
export function castReference(cast: AsExpression | TypeAssertion): TypeReferenceNode | undefined {
  const typeNode = cast.getTypeNode();
  if (!typeNode) return undefined;
  if (Node.isTypeReference(typeNode)) return typeNode;
  const ref = castTypeReference(morphTs as unknown as Parameters<typeof castTypeReference>[0], typeNode.compilerNode as unknown as TS.TypeNode);
  return ref && typeNode.getDescendantsOfKind(SyntaxKind.TypeReference).find((d) => (d.compilerNode as unknown) === ref);
}

/** The expression with parentheses, casts and `!` looked through. */
export function bare(n: Node): Node {
  let at = n;
  while (Node.isParenthesizedExpression(at) || Node.isAsExpression(at) || Node.isTypeAssertion(at) || Node.isNonNullExpression(at) || Node.isSatisfiesExpression(at)) at = at.getExpression();
  return at;
}

/** A place's key (see the module comment), or undefined for anything that is not a place. */
export function placeKey(n: Node): string | undefined {
  const e = bare(n);
  if (Node.isIdentifier(e)) {
    const decl = e.getSymbol()?.getDeclarations()[0];
    if (GLOBAL_OBJECT.has(e.getText()) && (!decl || decl.getSourceFile().isDeclarationFile())) return 'global';
    if (decl && Node.isVariableDeclaration(decl)) return `var:${decl.getSourceFile().getFilePath()}:${decl.getStart()}`;
    return undefined;
  }
  if (Node.isPropertyAccessExpression(e)) {
    const obj = placeKey(e.getExpression());
    return obj === undefined ? undefined : `${obj}.${e.getName()}`;
  }
  if (Node.isElementAccessExpression(e)) {
    const arg = e.getArgumentExpression();
    const obj = placeKey(e.getExpression());
    return obj !== undefined && arg && (Node.isStringLiteral(arg) || Node.isNoSubstitutionTemplateLiteral(arg)) ? `${obj}.${arg.getLiteralText()}` : undefined;
  }
  return undefined;
}

/** The place `value` is assigned to (`place = value`), if it is the right side of a plain assignment. */
function assignedTo(value: Node): Node | undefined {
  let at: Node = value;
  while (Node.isParenthesizedExpression(at.getParent()) || Node.isAsExpression(at.getParent()) || Node.isNonNullExpression(at.getParent())) at = at.getParent()!;
  const parent = at.getParent();
  return Node.isBinaryExpression(parent) && parent.getRight() === at && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken ? parent.getLeft() : undefined;
}

/** Where a construction is stored: its variable, and the places it (or that variable) is assigned to. */
function placesOf(node: NewExpression): string[] {
  const keys: string[] = [];
  let at: Node = node;
  while (Node.isAwaitExpression(at.getParent()) || Node.isParenthesizedExpression(at.getParent()) || Node.isAsExpression(at.getParent())) at = at.getParent()!;
  const parent = at.getParent();
  const direct = assignedTo(at);
  if (direct) {
    const k = placeKey(direct);
    if (k) keys.push(k);
  }
  if (Node.isVariableDeclaration(parent) && parent.getInitializer() === at && Node.isIdentifier(parent.getNameNode())) {
    const k = placeKey(parent.getNameNode());
    if (k) keys.push(k);
    for (const r of bindingUses(parent.getNameNode() as Identifier).reads) {
      const to = assignedTo(r);
      const rk = to && placeKey(to);
      if (rk) keys.push(rk);
    }
  }
  return keys;
}
