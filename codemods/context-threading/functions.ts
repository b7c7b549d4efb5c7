/** The function that encloses a node, and the name callers reach it by. */
import { Node, type ArrowFunction, type ConstructorDeclaration, type FunctionDeclaration, type FunctionExpression, type MethodDeclaration } from 'ts-morph';

export type Fn = FunctionDeclaration | MethodDeclaration | ArrowFunction | FunctionExpression | ConstructorDeclaration;

export function isFn(n: Node): n is Fn {
  return Node.isFunctionDeclaration(n) || Node.isMethodDeclaration(n) || Node.isArrowFunction(n) || Node.isFunctionExpression(n) || Node.isConstructorDeclaration(n);
}

/** The innermost function around `n` (a parameter's default belongs to its function), or undefined at top level / in a property initializer. */
export function enclosingFn(n: Node): Fn | undefined {
  for (const a of n.getAncestors()) {
    if (isFn(a)) return a;
    if (Node.isPropertyDeclaration(a) || Node.isClassStaticBlockDeclaration(a) || Node.isGetAccessorDeclaration(a) || Node.isSetAccessorDeclaration(a)) return undefined;
  }
  return undefined;
}

/**
 * The identifier references of a function are found from: its own name, the `const` it is
 * assigned to, or its class's name (a constructor is reached through `new C`). Undefined for an
 * anonymous function (a callback, an object member): it has no callers to update.
 */
export function nameNodeOf(fn: Fn): Node | undefined {
  if (Node.isConstructorDeclaration(fn)) return fn.getParent().getNameNode();
  if (Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn)) return fn.getNameNode();
  const p = fn.getParent();
  if (Node.isVariableDeclaration(p) && Node.isIdentifier(p.getNameNode())) return p.getNameNode();
  if (Node.isFunctionExpression(fn)) return fn.getNameNode();
  return undefined;
}

/** How a function is named in a chain: `Class.method`, `new Class`, `name`, or `(anonymous)`. */
export function fnLabel(fn: Fn): string {
  if (Node.isConstructorDeclaration(fn)) return `new ${fn.getParent().getName() ?? '(class)'}`;
  if (Node.isMethodDeclaration(fn)) {
    const cls = fn.getParent();
    const owner = Node.isClassDeclaration(cls) || Node.isClassExpression(cls) ? cls.getName() : undefined;
    return owner ? `${owner}.${fn.getName()}` : fn.getName();
  }
  return nameNodeOf(fn)?.getText() ?? '(anonymous)';
}
