/**
 * What a constructions[] entry does to one `new Legacy(…)`, or why it cannot: decided once, so the
 * rewrite (plan-file.ts) and the question "does this place still hold a legacy instance?" (the
 * casts, engine/constructions.ts) agree — a construction left legacy (marked) is not counted as
 * rewritten because its class has an entry.
 */
import { Node, ts as morphTs, type CallExpression, type Identifier, type NewExpression, type VariableDeclaration } from 'ts-morph';
import type { ConstructionSpec } from '../../manifest/types.js';
import { bindingUses } from '../engine/references.js';
import { planArguments, type BoundPart } from './arguments.js';

export type ConstructionPlan =
  | { blocked: { at: Node; message: string; /** a wiring call the member templates must not mark twice */ wiringCall?: CallExpression } }
  | {
      /** The construction with parentheses and `await` around it. */
      at: Node;
      parent: Node | undefined;
      decl: VariableDeclaration | undefined;
      /** Wiring statements (or listener registrations) that go. */
      wired: Node[];
      /** `instance: "drop"`: the stores that go, and the statement that keeps the replacement. */
      drop?: { stores: Node[]; statement: Node };
      /** Arguments evaluated once ahead of the replacement (arguments.ts). */
      bound: BoundPart[];
    };

export function planConstruction(node: NewExpression, spec: ConstructionSpec, index: number): ConstructionPlan {
  const field = `constructions[${index}]`;
  const args = planArguments(spec.replacement, node.getArguments(), `new ${spec.class}(…)`, `${field}.replacement`);
  if ('problem' in args) return { blocked: { at: node, message: args.problem } };
  const { bound } = args;
  let at: Node = node;
  while (Node.isParenthesizedExpression(at.getParent()) || Node.isAwaitExpression(at.getParent())) at = at.getParent()!;
  const parent = at.getParent();
  const decl = Node.isVariableDeclaration(parent) && parent.getInitializer() === at && Node.isIdentifier(parent.getNameNode()) ? parent : undefined;
  const reads = decl ? bindingUses(decl.getNameNode() as Identifier).reads : [];
  const wiring = new Set(spec.wiring ?? []);
  const wired: Node[] = [];
  for (const r of reads) {
    const access = r.getParent();
    const call = access?.getParent();
    if (!Node.isPropertyAccessExpression(access) || access.getExpression() !== r || !wiring.has(access.getName()) || !Node.isCallExpression(call) || call.getExpression() !== access) continue;
    const st = wiringStatement(call);
    if (st) {
      wired.push(st);
      continue;
    }
    // the replacement has no such member: rewriting the construction would break this call
    return { blocked: { at: call, wiringCall: call, message: `${spec.class}.${access.getName()} wires the instance (${field}.wiring) but is not a statement of its own: the construction stays legacy until it is removed by hand` } };
  }
  if (spec.instance !== 'drop') return { at, parent, decl, wired, bound };
  const isWired = (r: Node): boolean => wired.some((w) => r.getStart() >= w.getStart() && r.getEnd() <= w.getEnd());
  const stores: Node[] = [];
  for (const r of reads) {
    if (isWired(r)) continue;
    const st = storeStatement(r);
    if (!st) return { blocked: { at: r, message: `${field}.instance is "drop", but \`${(r.getParent() ?? r).getText()}\` still reads the instance; keep it (and give ${field}.type), or rewrite that read by hand` } };
    stores.push(st);
  }
  const statement = decl ? decl.getVariableStatement() : Node.isExpressionStatement(parent) ? parent : undefined;
  if (!statement || (Node.isVariableStatement(statement) && statement.getDeclarations().length !== 1)) return { blocked: { at: node, message: `${field}.instance is "drop", but the instance is not held by one variable or statement of its own; rewrite it by hand` } };
  return { at, parent, decl, wired, drop: { stores, statement }, bound };
}

function wiringStatement(call: CallExpression): Node | undefined {
  const parent = call.getParent();
  if (Node.isExpressionStatement(parent)) {
    const block = parent.getParent();
    const fn = Node.isBlock(block) && block.getStatements().length === 1 ? block.getParent() : undefined;
    if (fn && (Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))) return registrationOf(fn) ?? parent;
    return parent;
  }
  if (Node.isArrowFunction(parent) && parent.getBody() === call) return registrationOf(parent);
  return undefined;
}

/** `x.on(event, fn)` as a statement of its own, when `fn` is one of its arguments. */
function registrationOf(fn: Node): Node | undefined {
  const call = fn.getParent();
  const st = call?.getParent();
  return Node.isCallExpression(call) && call.getArguments().includes(fn) && Node.isExpressionStatement(st) ? st : undefined;
}

/** `place = value;` as a statement of its own (a store of the instance), else undefined. */
function storeStatement(value: Node): Node | undefined {
  const bin = value.getParent();
  const st = bin?.getParent();
  return Node.isBinaryExpression(bin) && bin.getRight() === value && bin.getOperatorToken().getKind() === morphTs.SyntaxKind.EqualsToken && Node.isExpressionStatement(st) ? st : undefined;
}
