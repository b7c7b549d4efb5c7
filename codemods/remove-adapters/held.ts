/**
 * Where a value is held: the binding an expression initialises or is assigned to, when only the
 * repo's code can read it (a `const`, a parameter's default, a private field), with its reads and
 * writes. remove-adapters asks it whether a factory call's value is only ever read through member
 * templates that need no context (analyze.ts), and which held manager values its rewrites leave
 * unread (plan-file.ts).
 */
import { Node, SyntaxKind, type BinaryExpression, type Expression, type Identifier, type ParameterDeclaration, type PrivateIdentifier, type PropertyAccessExpression, type PropertyDeclaration, type VariableStatement } from 'ts-morph';
import { bindingUses } from '../engine/references.js';

export interface HeldValue {
  /** The binding's declaration: the const's statement, the field, the parameter. */
  holder: VariableStatement | PropertyDeclaration | ParameterDeclaration;
  name: Identifier | PrivateIdentifier;
  /** Each read, as the receiver expression (`m`, `this.m`). */
  reads: Node[];
  /** Each plain assignment to it (`this.m = …`). */
  writes: BinaryExpression[];
}

/**
 * The binding `value` is held in, when nothing outside this code can read it: a lone, unexported
 * `const x = value`, a parameter's default (a public parameter property excepted), a private
 * instance field it initialises or is assigned to (`this.m = value`). Undefined when the value
 * goes anywhere else (returned, passed, a field others can read).
 */
export function heldValue(value: Expression): HeldValue | undefined {
  let at: Node = value;
  while (Node.isAwaitExpression(at.getParent()) || Node.isParenthesizedExpression(at.getParent()) || Node.isNonNullExpression(at.getParent())) at = at.getParent()!;
  const parent = at.getParent();
  let holder: HeldValue['holder'] | undefined;
  if (Node.isVariableDeclaration(parent)) {
    const st = parent.getVariableStatement();
    if (st && st.getDeclarationKind() === 'const' && st.getDeclarations().length === 1 && !st.isExported()) holder = st;
  } else if (Node.isParameterDeclaration(parent) || Node.isPropertyDeclaration(parent)) holder = parent;
  else if (Node.isBinaryExpression(parent) && parent.getRight() === at && Node.isPropertyAccessExpression(parent.getLeft())) {
    const d = (parent.getLeft() as PropertyAccessExpression).getNameNode().getSymbol()?.getDeclarations()[0];
    if (Node.isPropertyDeclaration(d)) holder = d;
  }
  if (!holder) return undefined;
  const name = Node.isVariableStatement(holder) ? holder.getDeclarations()[0]!.getNameNode() : holder.getNameNode();
  if (!Node.isIdentifier(name) && !Node.isPrivateIdentifier(name)) return undefined;
  // a field outside the class's own code may be read by code this repo does not hold
  if (Node.isPropertyDeclaration(holder) && (!(Node.isPrivateIdentifier(name) || holder.hasModifier(SyntaxKind.PrivateKeyword)) || holder.isStatic() || holder.hasModifier(SyntaxKind.DeclareKeyword))) return undefined;
  if (Node.isParameterDeclaration(holder) && holder.isParameterProperty() && !holder.hasModifier(SyntaxKind.PrivateKeyword)) return undefined;
  return { holder, name, ...bindingUses(name) };
}
