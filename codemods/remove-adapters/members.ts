/**
 * Which values are instances of a legacy class described in the manifest's `classes[]`, by the
 * type checker: the class itself (declared in its module, or in that module's frozen copy once
 * strangled), and interfaces / type aliases declared in a legacy module that the class satisfies
 * (a contract the app types its values with, e.g. a slice of the manager's API), or that an
 * entry describes itself (`class` naming an interface or type alias of the module).
 */
import { Node, SymbolFlags, ts, type Project, type Type } from 'ts-morph';
import type * as TS from 'typescript';
import type { LegacyClassSpec, SsotManifest } from '../../manifest/types.js';
import { moduleIdOf, normalizeId } from '../engine/module-id.js';
import { memberKey } from '../../manifest/field-members.js';
import { objectManagerNamesOf } from '../legacy-use/object-managers.js';
import type { TsApi } from '../strangle/commonjs-shape.js';

const modId = (m: string): string => normalizeId(m).replace(/\/index$/, '');

export class LegacyClasses {
  private readonly legacyModules: Set<string>;
  /**
   * A split class (manifest `splits[]`) in its app module: described by the members it does not
   * keep (the classes[] entry's templates); its kept members are app code, never marked.
   */
  private readonly splitSpecs = new Map<string, { spec: LegacyClassSpec; keep: ReadonlySet<string> }>();
  private readonly keptBy = new Map<LegacyClassSpec, ReadonlySet<string>>();
  private readonly byType = new Map<Type, LegacyClassSpec | undefined>();
  private readonly classTypes = new Map<LegacyClassSpec, Type | undefined>();
  /** Entries describing an object manager (a const holding an object literal): their calls move in every file or none. */
  private readonly objectSpecs = new Set<LegacyClassSpec>();
  /** The checker both caches were filled from: a type of an earlier program must not meet a later checker. */
  private checker: unknown;

  constructor(private readonly root: string, private readonly manifest: SsotManifest) {
    this.legacyModules = new Set([...manifest.legacy.map((l) => modId(l.module)), ...manifest.classes.map((c) => modId(c.module))]);
    for (const sp of manifest.splits) {
      const described = manifest.classes.find((c) => c.module === sp.module && c.class === sp.class);
      const keep = new Set(sp.keep);
      const members = Object.fromEntries(Object.entries(described?.members ?? {}).filter(([key]) => !keep.has(memberKey(key).field)));
      const spec: LegacyClassSpec = { module: sp.to, class: sp.class, members };
      this.splitSpecs.set(`${modId(sp.to)}#${sp.class}`, { spec, keep });
      this.keptBy.set(spec, keep);
    }
  }

  get any(): boolean {
    return this.manifest.classes.length > 0;
  }

  /** Whether `spec` (an entry specOf returned) describes an object manager rather than a class or interface. */
  isObjectManager(spec: LegacyClassSpec): boolean {
    return this.objectSpecs.has(spec);
  }

  /** The members a split class keeps (app code), when `spec` is a split class's; undefined otherwise. */
  keptMembers(spec: LegacyClassSpec): ReadonlySet<string> | undefined {
    return this.keptBy.get(spec);
  }

  /**
   * The split class and member name a node lies in when that member goes (not kept, not the
   * constructor): what it does goes with it, so nothing in it is rewritten or marked.
   */
  inDroppedMember(n: Node): boolean {
    if (this.splitSpecs.size === 0) return false;
    for (let a: Node | undefined = n; a; a = a.getParent()) {
      const cls = a.getParent();
      if (!cls || !Node.isClassDeclaration(cls) || Node.isConstructorDeclaration(a)) continue;
      const split = this.splitSpecs.get(`${this.moduleOf(cls)}#${cls.getName() ?? ''}`);
      const name = (a as Node & { getName?: () => string }).getName?.();
      if (split && name !== undefined && !split.keep.has(name)) return true;
    }
    return false;
  }

  private moduleOf(decl: Node): string {
    const p = decl.getSourceFile().getFilePath();
    return modId(moduleIdOf(p.startsWith(`${this.root}/`) ? p.slice(this.root.length + 1) : p).replace(/\.legacy$/, ''));
  }

  private classType(spec: LegacyClassSpec, project: Project): Type | undefined {
    if (!this.classTypes.has(spec)) {
      const mod = modId(spec.module);
      const cls = project.getSourceFiles().filter((sf) => this.moduleOf(sf) === mod).map((sf) => sf.getClass(spec.class)).find((c) => c !== undefined);
      this.classTypes.set(spec, cls?.getType());
    }
    return this.classTypes.get(spec);
  }

  /** The class a receiver's type is (nullable and union parts looked through), if any. */
  specOf(type: Type, at: Node): LegacyClassSpec | undefined {
    if (!this.any) return undefined;
    // the project's program is rebuilt when threaded texts go in: answers and class types of the old one go with it
    const checker = at.getProject().getTypeChecker().compilerObject;
    if (checker !== this.checker) {
      this.checker = checker;
      this.byType.clear();
      this.classTypes.clear();
    }
    const t = type.getNonNullableType();
    for (const part of t.isUnion() ? t.getUnionTypes() : [t]) {
      if (!this.byType.has(part)) this.byType.set(part, this.compute(part, at));
      const s = this.byType.get(part);
      if (s) return s;
    }
    return undefined;
  }

  /** The entry describing the very interface or type alias a type is declared by (not a class it is satisfied by). */
  ownInterfaceSpecOf(type: Type, at: Node): LegacyClassSpec | undefined {
    const decl = (type.getAliasSymbol() ?? type.getSymbol())?.getDeclarations()[0];
    if (!decl || !(Node.isInterfaceDeclaration(decl) || Node.isTypeAliasDeclaration(decl))) return undefined;
    const spec = this.specOf(type, at);
    return spec && spec.class === decl.getName() && modId(spec.module) === this.moduleOf(decl) ? spec : undefined;
  }

  private compute(type: Type, at: Node): LegacyClassSpec | undefined {
    const decl = (type.getSymbol() ?? type.getAliasSymbol())?.getDeclarations()[0];
    if (!decl) return undefined;
    // `typeof C` (the class itself: its statics) has C's symbol too; members are the instances'
    if (type.getConstructSignatures().length > 0) return undefined;
    const mod = this.moduleOf(decl);
    // an object manager: the literal a top-level const of a legacy module holds, described by the const's name
    if (Node.isObjectLiteralExpression(decl)) {
      const names = objectManagerNamesOf(ts as unknown as TsApi, decl.compilerNode as unknown as TS.Node);
      const spec = this.manifest.classes.find((c) => names.includes(c.class) && modId(c.module) === mod);
      if (spec) this.objectSpecs.add(spec);
      return spec;
    }
    if (Node.isClassDeclaration(decl)) return this.manifest.classes.find((c) => c.class === decl.getName() && modId(c.module) === mod) ?? this.splitSpecs.get(`${mod}#${decl.getName() ?? ''}`)?.spec;
    if (!(Node.isInterfaceDeclaration(decl) || Node.isTypeAliasDeclaration(decl)) || !this.legacyModules.has(mod)) return undefined;
    // an entry may describe the interface itself (a contract no described class implements)
    const own = this.manifest.classes.find((c) => c.class === decl.getName() && modId(c.module) === mod);
    if (own) return own;
    const project = at.getProject();
    const checker = project.getTypeChecker().compilerObject;
    return this.manifest.classes.find((c) => {
      const ct = this.classType(c, project);
      return ct !== undefined && checker.isTypeAssignableTo(ct.compilerType, type.compilerType);
    });
  }
}

/**
 * Whether a member read (`m.opt` in `m.opt?.(x)`) may find nothing: an optional member, or one
 * whose type admits `undefined`/`null` (or is not known). Its template always runs, so an
 * optional call of such a member cannot become it as written.
 */
export function mayBeAbsent(access: Node): boolean {
  const sym = access.getSymbol();
  if (!sym || (sym.getFlags() & SymbolFlags.Optional) !== 0) return true;
  // the member's own type, not the read's (an optional chain before it adds `undefined` to that)
  const t = sym.getTypeAtLocation(access);
  return t.isAny() || t.isUnknown() || t.isUndefined() || t.isNull() || t.isNullable() || (t.isUnion() && t.getUnionTypes().some((u) => u.isUndefined() || u.isNull()));
}

/**
 * Whether the value of `e` may be null or undefined at run time, so a `?.` after it tests
 * something: looked through parentheses, `!` and casts, which assert a type but change no value
 * (`(x as Peer)?.send()` still tests `x`). A member read is asked as mayBeAbsent does (an optional
 * member, or one whose own type admits it); anything else by its type (any and unknown may).
 */
export function mayBeNullish(e: Node): boolean {
  while (Node.isParenthesizedExpression(e) || Node.isNonNullExpression(e) || Node.isAsExpression(e) || Node.isSatisfiesExpression(e) || Node.isTypeAssertion(e)) e = e.getExpression();
  if (Node.isPropertyAccessExpression(e)) return mayBeAbsent(e);
  const t = e.getType();
  return t.isAny() || t.isUnknown() || t.isUndefined() || t.isNull() || t.isNullable() || (t.isUnion() && t.getUnionTypes().some((u) => u.isUndefined() || u.isNull()));
}
