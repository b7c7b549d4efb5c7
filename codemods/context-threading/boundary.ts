/**
 * Boundaries: functions whose signature threading must not change, so the chain stops there
 * for a person — an export the manifest lists as public API, a function handed to other code as
 * a callback, a method whose signature another type fixes (a base class or interface, or an
 * override below it), a constructor a framework calls (a decorated class).
 */
import { Node, type ClassDeclaration, type ClassExpression, type ConstructorDeclaration, type ExportSpecifier, type ExpressionWithTypeArguments } from 'ts-morph';
import type { PublicApiSpec } from '../../manifest/types.js';
import { normalizeId, withoutIndex } from '../engine/module-id.js';
import { oneLine } from './chain.js';
import { fnLabel, type Fn } from './functions.js';
import { at, inRepo, moduleOf } from './where.js';

/** The boundary a function is by itself (before looking at its callers), or undefined. */
export function fixedBoundary(root: string, fn: Fn, publicApi: readonly PublicApiSpec[], contracts: readonly ExpressionWithTypeArguments[] = [], removing = false): string | undefined {
  const anon = anonymousBoundary(root, fn);
  if (anon) return anon;
  const api = publicApiBoundary(root, fn, publicApi);
  if (api) return api;
  if (Node.isMethodDeclaration(fn)) return methodBoundary(root, fn.getParent(), fn.getName(), contracts);
  if (Node.isConstructorDeclaration(fn)) {
    const deco = fn.getParent().getDecorators()[0];
    // a container asks for what the signature declares: one parameter fewer is one it stops asking for
    if (deco && !(removing && containerBuilt(fn))) return `constructor of a class a framework builds (@${deco.getName()}) at ${at(root, fn)}`;
  }
  return undefined;
}

/**
 * A constructor a dependency-injection container builds from metadata recorded per parameter: a
 * parameter decorator (`@inject(T)`, which can do nothing but record), or a decorated class under
 * `emitDecoratorMetadata` (the compiler writes `design:paramtypes` from the signature). Either
 * metadata follows the signature, so a parameter removed with its own decorators is no longer
 * asked for and the others keep theirs. Adding one is another matter: the container would have to
 * supply it.
 */
export function containerBuilt(fn: ConstructorDeclaration): boolean {
  if (fn.getParameters().some((p) => p.getDecorators().length > 0)) return true;
  return fn.getParent().getDecorators().length > 0 && fn.getProject().getCompilerOptions().emitDecoratorMetadata === true;
}

function anonymousBoundary(root: string, fn: Fn): string | undefined {
  if (!Node.isArrowFunction(fn) && !Node.isFunctionExpression(fn)) return undefined;
  const p = fn.getParent();
  if (Node.isVariableDeclaration(p) && Node.isIdentifier(p.getNameNode())) return undefined;
  if (Node.isFunctionExpression(fn) && fn.getName()) return undefined;
  if (Node.isCallExpression(p) || Node.isNewExpression(p)) return callbackBoundary(root, p.getExpression(), fn);
  return `an anonymous function at ${at(root, fn)} (nothing names it, so no caller can pass a context)`;
}

/** A function handed to `callee` as a value: `callee`'s code calls it with arguments it chooses. */
export function callbackBoundary(root: string, callee: Node, value: Node): string {
  const sym = (Node.isPropertyAccessExpression(callee) ? callee.getNameNode() : callee).getSymbol();
  const decl = (sym?.isAlias() ? (sym.getAliasedSymbol() ?? sym) : sym)?.getDeclarations()[0];
  const outside = decl === undefined || !inRepo(root, decl.getSourceFile());
  return `callback passed to ${oneLine(callee.getText())}${outside ? ' (outside the repo)' : ''} at ${at(root, value)}: its caller chooses the arguments`;
}

function publicApiBoundary(root: string, fn: Fn, publicApi: readonly PublicApiSpec[]): string | undefined {
  if (publicApi.length === 0) return undefined;
  const mod = moduleOf(root, fn);
  const spec = publicApi.find((p) => withoutIndex(normalizeId(p.module)) === mod);
  if (!spec) return undefined;
  const name = exportedName(fn);
  if (name === undefined || (spec.exports && !spec.exports.includes(name))) return undefined;
  return `${fnLabel(fn)} is public API (manifest publicApi: ${spec.module} ${name}) at ${at(root, fn)}`;
}

/** A re-export (`export { f } from …`) in a module the manifest lists as public API: the name is public there. */
export function reexportBoundary(root: string, spec: ExportSpecifier, publicApi: readonly PublicApiSpec[]): string | undefined {
  const mod = moduleOf(root, spec);
  const api = publicApi.find((p) => withoutIndex(normalizeId(p.module)) === mod);
  const name = spec.getAliasNode()?.getText() ?? spec.getName();
  if (!api || (api.exports && !api.exports.includes(name))) return undefined;
  return `is public API as ${name} of ${api.module} (manifest publicApi) at ${at(root, spec)}`;
}

/** The export a function is reached by from outside its module: itself, its const, or its class. */
function exportedName(fn: Fn): string | undefined {
  if (Node.isFunctionDeclaration(fn)) return fn.isExported() ? (fn.getName() ?? 'default') : undefined;
  if (Node.isMethodDeclaration(fn) || Node.isConstructorDeclaration(fn)) {
    const cls = fn.getParent();
    return Node.isClassDeclaration(cls) && cls.isExported() ? (cls.getName() ?? 'default') : undefined;
  }
  const v = fn.getParent();
  if (Node.isVariableDeclaration(v) && v.getVariableStatement()?.isExported()) return v.getName();
  return undefined;
}

/** A method's signature is fixed by a base type that declares it, or by an override below it. */
function methodBoundary(root: string, cls: Node, name: string, contracts: readonly ExpressionWithTypeArguments[]): string | undefined {
  if (!Node.isClassDeclaration(cls) && !Node.isClassExpression(cls)) return `method ${name} of an object literal`;
  const c: ClassDeclaration | ClassExpression = cls;
  // a legacy module's interface goes away with it: the signature it fixes is threaded (contracts.ts)
  const bases = [...c.getBaseTypes(), ...c.getImplements().filter((i) => !contracts.includes(i)).map((i) => i.getType())];
  for (const b of bases) {
    const decl = b.getProperty(name)?.getDeclarations()[0];
    if (!decl) continue;
    const owner = b.getSymbol()?.getName() ?? b.getText();
    const where = inRepo(root, decl.getSourceFile()) ? `declared by ${owner} at ${at(root, decl)}` : `fixed by ${owner} (outside the repo)`;
    return `${c.getName() ?? '(class)'}.${name}: its signature is ${where}`;
  }
  if (Node.isClassDeclaration(c)) {
    for (const d of c.getDerivedClasses()) {
      const m = d.getMethod(name);
      if (m) return `${c.getName()}.${name} is overridden by ${d.getName() ?? '(class)'}.${name} at ${at(root, m)}`;
    }
  }
  return undefined;
}
