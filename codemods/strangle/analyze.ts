/**
 * Type-aware reading of a legacy module before it is strangled: what each exported name is
 * (class, enum, function, variable, type), and the facts the shim helpers need (which
 * constructor/function argument is the user context, which statics hand out managers).
 * Everything is read from the original tree, before any file is changed.
 */
import { neededField } from '../phase/requirements.js';
import { Node, SyntaxKind, ts, type ClassDeclaration, type Project, type SourceFile, type Type, type VariableDeclaration } from 'ts-morph';
import type * as TS from 'typescript';
import { objectManagerNamesOf } from '../legacy-use/object-managers.js';
import type { TsApi } from './commonjs-shape.js';
import type { SsotManifest } from '../../manifest/types.js';
import { moduleIdOf, normalizeId } from '../engine/module-id.js';
import type { CommonJsExport } from './commonjs.js';

export type ExportKind = 'class' | 'enum' | 'function' | 'variable' | 'type' | 'other';

export interface FrozenRef {
  /** Module id of the (strangled) module that declares it. */
  moduleId: string;
  name: string;
}

export interface ExportInfo {
  name: string;
  kind: ExportKind;
  /** Exported with `export type` (only the type meaning may be re-exported). */
  typeOnly: boolean;
  /** A type or interface with type parameters (re-exported as is rather than aliased). */
  generic: boolean;
  /** Another exported name with the very same declaration (for `export default X`). */
  sameAs?: string;
  /** Index of a parameter typed as the manifest's context type (functions; class constructors). */
  contextArg?: number;
  /** Classes: static and instance methods taking the context, and statics returning the class itself. */
  statics?: Array<{ name: string; contextArg?: number }>;
  methods?: Array<{ name: string; contextArg: number }>;
  factoryStatics?: string[];
  /** For manager functions/factories: the class they hand out, if declared in a legacy module. */
  returnsClass?: FrozenRef;
  /** Classes: the declaration (module and name) this export is, when declared in a legacy module. */
  declaredAs?: FrozenRef;
  /** A function, or a variable holding one (`export const f = () => …`): whether its result is `void`. */
  callable?: { returnsVoid: boolean };
  /**
   * `export default { sendToUser, broadcast: send }`: each property and the top-level name it
   * holds (only when every property is such a reference), so a facade can build the same object
   * from its routed functions.
   */
  objectOf?: Array<{ key: string; ref: string }>;
  /**
   * A variable holding an instance of a class declared in a legacy module (`export const m = new
   * M()`, `module.exports = new M()`): the facade routes it through the class's table when the
   * manifest describes the class (`classes[]`).
   */
  instanceOf?: FrozenRef;
  /**
   * A variable holding an object manager the manifest describes (`export const wsManager = { … }`,
   * a `classes[]` entry naming the const): the facade routes each of its members (defineLegacyObject).
   */
  objectManager?: FrozenRef;
}

/** One public instance member of a class described in the manifest's `classes[]`. */
export interface MemberFact {
  name: string;
  kind: 'method' | 'property';
  /** Methods: the legacy result is `void` (a returned promise is detached, not handed back). */
  returnsVoid: boolean;
}

/** Public instance members of each described class, keyed `moduleId#Class`. */
export type ClassMembers = Map<string, MemberFact[]>;

export const classKey = (ref: FrozenRef): string => `${ref.moduleId}#${ref.name}`;

function isPublic(n: Node): boolean {
  if (!Node.isModifierable(n)) return true;
  if (n.hasModifier(SyntaxKind.PrivateKeyword) || n.hasModifier(SyntaxKind.ProtectedKeyword)) return false;
  const name = (n as unknown as { getName?: () => string }).getName?.();
  return !(typeof name === 'string' && name.startsWith('#'));
}

/**
 * The object manager a variable declaration is, when the manifest describes it: a top-level const
 * of a legacy module holding an object literal, named by a `classes[]` entry of that module.
 */
export function describedObjectManager(v: VariableDeclaration, manifest: SsotManifest, legacyIds: ReadonlySet<string>, root: string): FrozenRef | undefined {
  const init = v.getInitializer();
  if (!init) return undefined;
  return describedObjectLiteral(unwrapped(init), manifest, legacyIds, root);
}

/**
 * The object manager an object literal is, when the manifest describes it: held by a top-level const
 * (named by it), or assigned to `module.exports` (named `default`), of a legacy module.
 */
export function describedObjectLiteral(literal: Node, manifest: SsotManifest, legacyIds: ReadonlySet<string>, root: string): FrozenRef | undefined {
  if (!Node.isObjectLiteralExpression(literal)) return undefined;
  const names = objectManagerNamesOf(ts as unknown as TsApi, literal.compilerNode as unknown as TS.Node);
  const id = moduleIdOf(rel(root, literal.getSourceFile()));
  const name = legacyIds.has(id) ? manifest.classes.find((c) => normalizeId(c.module) === id && names.includes(c.class))?.class : undefined;
  return name === undefined ? undefined : { moduleId: id, name };
}

/** What `( … )`, `… as T`, `… satisfies T` and `<T>…` hold. */
function unwrapped(e: Node): Node {
  let n = e;
  while (Node.isParenthesizedExpression(n) || Node.isAsExpression(n) || Node.isSatisfiesExpression(n) || Node.isTypeAssertion(n)) n = n.getExpression();
  return n;
}

/**
 * The public members of an object manager (an object literal bound to a const), by the checker:
 * a property whose type can be called (a method, an arrow, a function value) is a method; a
 * field or an accessor is a property.
 */
export function objectMemberFacts(v: Node): MemberFact[] {
  const type = v.getType();
  return type.getProperties().map((p) => {
    const sig = p.getTypeAtLocation(v).getCallSignatures()[0];
    const accessor = p.getDeclarations().some((d) => Node.isGetAccessorDeclaration(d) || Node.isSetAccessorDeclaration(d));
    return sig && !accessor ? { name: p.getName(), kind: 'method' as const, returnsVoid: sig.getReturnType().isVoid() } : { name: p.getName(), kind: 'property' as const, returnsVoid: false };
  });
}

/** The public instance members of `cls` (methods, properties, accessors, parameter properties). */
export function memberFacts(cls: ClassDeclaration): MemberFact[] {
  const out = new Map<string, MemberFact>();
  for (const m of cls.getInstanceMethods()) {
    if (!isPublic(m)) continue;
    out.set(m.getName(), { name: m.getName(), kind: 'method', returnsVoid: m.getReturnType().isVoid() });
  }
  for (const p of cls.getInstanceProperties()) {
    if (!isPublic(p)) continue;
    const name = p.getName();
    if (!out.has(name)) out.set(name, { name, kind: 'property', returnsVoid: false });
  }
  return [...out.values()];
}

/**
 * The public statics of `cls` (manifest `classes[].statics`): a method, or a property holding a
 * function (`static f = (…) => …`), is a called static; a field or accessor is read.
 */
export function staticFacts(cls: ClassDeclaration): MemberFact[] {
  const out = new Map<string, MemberFact>();
  for (const m of cls.getStaticMethods()) {
    if (!isPublic(m)) continue;
    out.set(m.getName(), { name: m.getName(), kind: 'method', returnsVoid: m.getReturnType().isVoid() });
  }
  for (const p of cls.getStaticProperties()) {
    if (!isPublic(p) || out.has(p.getName())) continue;
    const sig = Node.isPropertyDeclaration(p) ? p.getType().getCallSignatures()[0] : undefined;
    out.set(p.getName(), sig ? { name: p.getName(), kind: 'method', returnsVoid: sig.getReturnType().isVoid() } : { name: p.getName(), kind: 'property', returnsVoid: false });
  }
  return [...out.values()];
}

export interface ModuleInfo {
  file: string;
  moduleId: string;
  exports: ExportInfo[];
  /** The module runs code at import (e.g. a compat module's deprecation warning). */
  sideEffects: boolean;
}

function isContextType(type: Type, contextType: string): boolean {
  const parts = type.isUnion() ? type.getUnionTypes() : [type];
  return parts.some((t) => (t.getAliasSymbol() ?? t.getSymbol())?.getName() === contextType);
}

function contextIndex(params: readonly Node[], contextType: string): number | undefined {
  const i = params.findIndex((p) => isContextType(p.getType(), contextType));
  return i === -1 ? undefined : i;
}

/** The class a call hands out (unwrapping a Promise), when it is declared in one of `legacyIds`. */
function returnedClass(type: Type, legacyIds: ReadonlySet<string>, root: string): FrozenRef | undefined {
  let t = type;
  if (t.getSymbol()?.getName() === 'Promise') t = t.getTypeArguments()[0] ?? t;
  const decl = t.getSymbol()?.getDeclarations()[0];
  if (!decl || !Node.isClassDeclaration(decl) || !decl.isExported()) return undefined;
  const id = moduleIdOf(rel(root, decl.getSourceFile()));
  const name = decl.getName();
  return legacyIds.has(id) && name !== undefined ? { moduleId: id, name } : undefined;
}

/** The class `type` is an instance of (not the class itself, not a union), when a legacy module declares it (exported or not). */
export function instanceClass(type: Type, legacyIds: ReadonlySet<string>, root: string): FrozenRef | undefined {
  if (type.isUnion() || type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) return undefined;
  const decl = type.getSymbol()?.getDeclarations()[0];
  if (!decl || !Node.isClassDeclaration(decl)) return undefined;
  const id = moduleIdOf(rel(root, decl.getSourceFile()));
  const name = decl.getName();
  return legacyIds.has(id) && name !== undefined ? { moduleId: id, name } : undefined;
}

function rel(root: string, sf: SourceFile): string {
  const p = sf.getFilePath();
  return p.startsWith(`${root}/`) ? p.slice(root.length + 1) : p;
}

function classFacts(cls: ClassDeclaration, contextType: string, legacyIds: ReadonlySet<string>, root: string): Pick<ExportInfo, 'contextArg' | 'statics' | 'methods' | 'factoryStatics' | 'returnsClass'> {
  const out: ReturnType<typeof classFacts> = {};
  const ctor = cls.getConstructors()[0];
  const ci = ctor ? contextIndex(ctor.getParameters(), contextType) : undefined;
  if (ci !== undefined) out.contextArg = ci;
  out.statics = cls.getStaticMethods().map((m) => {
    const i = contextIndex(m.getParameters(), contextType);
    return i === undefined ? { name: m.getName() } : { name: m.getName(), contextArg: i };
  });
  out.methods = [];
  for (const m of cls.getInstanceMethods()) {
    const i = contextIndex(m.getParameters(), contextType);
    if (i !== undefined && !m.hasModifier('private')) out.methods.push({ name: m.getName(), contextArg: i });
  }
  const self = cls.getSymbol();
  out.factoryStatics = cls.getStaticMethods().filter((m) => m.getReturnType().getSymbol() === self).map((m) => m.getName());
  for (const m of cls.getStaticMethods()) {
    const r = returnedClass(m.getReturnType(), legacyIds, root);
    if (r) {
      out.returnsClass = r;
      break;
    }
  }
  return out;
}

function isTypeOnlyExport(sf: SourceFile, name: string): boolean {
  for (const ed of sf.getExportDeclarations()) {
    const spec = ed.getNamedExports().find((s) => (s.getAliasNode()?.getText() ?? s.getName()) === name);
    if (spec) return ed.isTypeOnly() || spec.isTypeOnly();
  }
  return false;
}

/** Analyse each module file (repo-relative) of `project`, whose files live under `root`. */
export function analyzeModules(project: Project, root: string, manifest: SsotManifest, files: ReadonlyMap<string, string>): Map<string, ModuleInfo> {
  const contextType = neededField(manifest, 'canonical.contextType', 'strangle');
  const legacyIds = new Set(files.keys());
  const out = new Map<string, ModuleInfo>();
  for (const [moduleId, file] of files) {
    const sf = project.getSourceFileOrThrow(`${root}/${file}`);
    const exported = sf.getExportedDeclarations();
    const exports: ExportInfo[] = [];
    const firstDecl = new Map<Node, string>();
    for (const [name, decls] of exported) {
      if (name !== 'default') for (const d of decls) if (!firstDecl.has(d)) firstDecl.set(d, name);
    }
    for (const [name, decls] of exported) {
      const info: ExportInfo = { name, kind: 'other', typeOnly: name !== 'default' && isTypeOnlyExport(sf, name), generic: false };
      const cls = decls.find(Node.isClassDeclaration);
      const en = decls.find(Node.isEnumDeclaration);
      const fn = decls.find(Node.isFunctionDeclaration);
      const v = decls.find(Node.isVariableDeclaration);
      if (cls) {
        info.kind = 'class';
        Object.assign(info, classFacts(cls, contextType, legacyIds, root));
        const declId = moduleIdOf(rel(root, cls.getSourceFile()));
        const clsName = cls.getName();
        if (clsName !== undefined && legacyIds.has(declId)) info.declaredAs = { moduleId: declId, name: clsName };
      } else if (en) info.kind = 'enum';
      else if (fn) {
        info.kind = 'function';
        const ci = contextIndex(fn.getParameters(), contextType);
        if (ci !== undefined) info.contextArg = ci;
        const r = returnedClass(fn.getReturnType(), legacyIds, root);
        if (r) info.returnsClass = r;
        info.callable = { returnsVoid: fn.getReturnType().isVoid() };
      } else if (v) {
        info.kind = 'variable';
        const call = v.getType().getCallSignatures()[0];
        if (call) info.callable = { returnsVoid: call.getReturnType().isVoid() };
        const inst = instanceClass(v.getType(), legacyIds, root);
        if (inst) info.instanceOf = inst;
        const om = describedObjectManager(v, manifest, legacyIds, root);
        if (om) info.objectManager = om;
      }
      else if (decls.length > 0 && decls.every((d) => Node.isInterfaceDeclaration(d) || Node.isTypeAliasDeclaration(d))) {
        info.kind = 'type';
        info.generic = decls.some((d) => (Node.isInterfaceDeclaration(d) || Node.isTypeAliasDeclaration(d)) && d.getTypeParameters().length > 0);
      }
      // `export default { register() {…} }` described as `"class": "default"`: routed as a const's object is
      if (name === 'default' && info.kind === 'other') {
        const om = decls.map((d) => describedObjectLiteral(d, manifest, legacyIds, root)).find((x) => x !== undefined);
        if (om) {
          info.kind = 'variable';
          info.objectManager = om;
        }
      }
      // `export default new M()`: the default export is an expression holding an instance, routed as a const's is
      if (name === 'default' && info.kind === 'other') {
        const inst = decls.filter((d) => Node.isExpression(d)).map((d) => instanceClass(d.getType(), legacyIds, root)).find((x) => x !== undefined);
        if (inst) {
          info.kind = 'variable';
          info.instanceOf = inst;
        }
      }
      if (name === 'default') {
        const same = decls.map((d) => firstDecl.get(d)).find((n) => n !== undefined);
        if (same !== undefined) info.sameAs = same;
        const obj = decls.find(Node.isObjectLiteralExpression);
        if (obj) {
          const props = obj.getProperties().map((p) => (Node.isShorthandPropertyAssignment(p) ? { key: p.getName(), ref: p.getName() } : Node.isPropertyAssignment(p) && Node.isIdentifier(p.getInitializer()) && Node.isIdentifier(p.getNameNode()) ? { key: p.getName(), ref: p.getInitializerOrThrow().getText() } : undefined));
          if (props.length > 0 && props.every((p) => p !== undefined)) info.objectOf = props as Array<{ key: string; ref: string }>;
        }
      }
      exports.push(info);
    }
    const sideEffects = sf.getStatements().some((s) => Node.isExpressionStatement(s));
    out.set(moduleId, { file, moduleId, exports, sideEffects });
  }
  return out;
}

/**
 * A CommonJS module's exports (commonjs.ts read which they are) as the facade's export facts: what
 * each exported expression is, by the type checker — a class (its facts as for `export class`),
 * a function (called through `exports.f`), an instance of a legacy class, or another value.
 * `default` is the whole export (`module.exports = E`).
 */
export function analyzeCommonJs(project: Project, root: string, manifest: SsotManifest, moduleId: string, file: string, exported: readonly CommonJsExport[], legacyFiles: ReadonlyMap<string, string>): ModuleInfo {
  const contextType = neededField(manifest, 'canonical.contextType', 'strangle');
  const legacyIds = new Set(legacyFiles.keys());
  const sf = project.getSourceFileOrThrow(`${root}/${file}`);
  const exports: ExportInfo[] = [];
  for (const x of exported) {
    const info: ExportInfo = { name: x.name, kind: 'other', typeOnly: false, generic: false };
    const type = x.node.getType();
    const decl = (Node.isIdentifier(x.node) ? x.node.getSymbol()?.getDeclarations()[0] : undefined) ?? x.node;
    const init = Node.isVariableDeclaration(decl) ? (decl.getInitializer() ?? decl) : decl;
    const cls = Node.isClassDeclaration(init) ? init : type.getConstructSignatures().length > 0 ? type.getSymbol()?.getDeclarations().find(Node.isClassDeclaration) : undefined;
    const inst = instanceClass(type, legacyIds, root);
    const call = type.getCallSignatures()[0];
    if (cls) {
      info.kind = 'class';
      Object.assign(info, classFacts(cls, contextType, legacyIds, root));
      const declId = moduleIdOf(rel(root, cls.getSourceFile()));
      const clsName = cls.getName();
      if (clsName !== undefined && legacyIds.has(declId)) info.declaredAs = { moduleId: declId, name: clsName };
    } else if (inst) {
      info.kind = 'variable';
      info.instanceOf = inst;
    } else if (Node.isVariableDeclaration(decl) && describedObjectManager(decl, manifest, legacyIds, root)) {
      info.kind = 'variable';
      info.objectManager = describedObjectManager(decl, manifest, legacyIds, root)!;
    } else if (x.name === 'default' && describedObjectLiteral(x.node, manifest, legacyIds, root)) {
      // `module.exports = { register() {…} }` described as `"class": "default"`: routed as a const's object is
      info.kind = 'variable';
      info.objectManager = describedObjectLiteral(x.node, manifest, legacyIds, root)!;
    } else if (call) {
      info.kind = 'function';
      info.callable = { returnsVoid: call.getReturnType().isVoid() };
      const r = returnedClass(call.getReturnType(), legacyIds, root);
      if (r) info.returnsClass = r;
      if (Node.isFunctionExpression(init) || Node.isArrowFunction(init) || Node.isFunctionDeclaration(init) || Node.isMethodDeclaration(init)) {
        const ci = contextIndex(init.getParameters(), contextType);
        if (ci !== undefined) info.contextArg = ci;
      }
    } else info.kind = 'variable';
    exports.push(info);
  }
  // a class this module exports through module.exports is exported, though no `export` keyword says so: a function handing one out returns it
  for (const info of exports) {
    if (info.kind !== 'function' || info.returnsClass) continue;
    const x = exported.find((e) => e.name === info.name)!;
    let ret = x.node.getType().getCallSignatures()[0]!.getReturnType();
    if (ret.getSymbol()?.getName() === 'Promise') ret = ret.getTypeArguments()[0] ?? ret;
    const cls = instanceClass(ret, legacyIds, root);
    if (cls && cls.moduleId === moduleId && exports.some((e) => e.kind === 'class' && e.name === cls.name && e.declaredAs?.name === cls.name)) info.returnsClass = cls;
  }
  // code that runs at load besides the exports: the requires of other modules are what it needs, not a deprecated use
  const sideEffects = sf.getStatements().some((s) => {
    if (!Node.isExpressionStatement(s)) return false;
    const e = s.getExpression();
    if (Node.isStringLiteral(e)) return false; // 'use strict'
    if (Node.isBinaryExpression(e) && e.getOperatorToken().getKind() === SyntaxKind.EqualsToken && exported.some((x) => x.node === e.getRight() || x.node.getAncestors().includes(e.getRight()))) return false;
    return true;
  });
  return { file, moduleId, exports, sideEffects };
}
