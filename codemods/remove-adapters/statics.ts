/**
 * Which member reads are statics of a legacy class whose `classes[]` entry has a `statics` table
 * (a class the app uses through its statics, `Clients.emitDataToUser(id, type, data)`, never
 * instantiated), by the declaration the checker resolves the member name to: so every way of
 * reaching the class is one — a named, default or namespace import, an alias `const W = C`, a
 * `typeof C` parameter, the app's own subclass (`Sub.x` and `this.x` in its statics inherit the
 * declaration), and the strangled facade's routed class (`typeof frozen.C`: the frozen `.legacy`
 * module is the class's module). An instance member of the same name is not one (it is declared
 * without `static`), nor is a same-named static of a class no entry describes.
 * A class whose entry has no `statics` table keeps its statics untouched (a factory static, a
 * builder: not the app's socket layer), as before the table existed.
 */
import { Node, type ClassDeclaration, type Type } from 'ts-morph';
import type { SsotManifest } from '../../manifest/types.js';
import { moduleIdOf, normalizeId } from '../engine/module-id.js';
import { chainTemplates } from '../../manifest/field-members.js';

export interface StaticHit {
  /** Repo-relative module id (no `/index`, no `.legacy`) declaring the class. */
  module: string;
  class: string;
  name: string;
  /** The manifest's template, or undefined when the entry has a statics table without this name. */
  template: string | undefined;
  /** `classes[index]`. */
  index: number;
  /** A method, or a property holding a function (`static f = (…) => …`): its template applies to calls. */
  callable: boolean;
  /** Chain templates on what its call returns (`"socketOf.send"` → `send`), when it has any. */
  chains?: ReadonlyMap<string, string>;
}

const modId = (m: string): string => normalizeId(m).replace(/\/index$/, '');

export class LegacyStatics {
  /** `module#Class` → the entry's index, for entries with a statics table. */
  private readonly byClass = new Map<string, number>();
  /** `module#Class.method` of factory entries: the factory rewrite's, never a static template's. */
  private readonly factoryCalls = new Set<string>();

  constructor(private readonly root: string, private readonly manifest: SsotManifest) {
    manifest.classes.forEach((c, i) => {
      if (c.statics !== undefined) this.byClass.set(`${modId(c.module)}#${c.class}`, i);
    });
    for (const e of manifest.factory?.entries ?? []) if (e.call.includes('.')) this.factoryCalls.add(`${modId(e.module)}#${e.call}`);
  }

  get any(): boolean {
    return this.byClass.size > 0;
  }

  private moduleOf(n: Node): string {
    const p = n.getSourceFile().getFilePath();
    return modId(moduleIdOf(p.startsWith(`${this.root}/`) ? p.slice(this.root.length + 1) : p).replace(/\.legacy$/, ''));
  }

  /** The entry a class declaration is described by, when it has a statics table. */
  private entryOf(cls: ClassDeclaration): { index: number; module: string } | undefined {
    const module = this.moduleOf(cls);
    const index = this.byClass.get(`${module}#${cls.getName() ?? ''}`);
    return index === undefined ? undefined : { index, module };
  }

  /** The static a member read (`C.x`, `W.x`, `this.x` in a subclass's static) stands for, if any. */
  of(access: Node): StaticHit | undefined {
    if (!this.any || !Node.isPropertyAccessExpression(access)) return undefined;
    const sym = access.getNameNode().getSymbol();
    const decl = sym?.getDeclarations()[0];
    if (!decl) return undefined;
    const isStatic = (Node.isMethodDeclaration(decl) || Node.isPropertyDeclaration(decl) || Node.isGetAccessorDeclaration(decl) || Node.isSetAccessorDeclaration(decl)) && decl.isStatic();
    if (!isStatic) return undefined;
    const cls = decl.getParent();
    if (!Node.isClassDeclaration(cls)) return undefined;
    const entry = this.entryOf(cls);
    if (!entry) return undefined;
    const name = access.getName();
    const className = cls.getName() ?? '';
    if (this.factoryCalls.has(`${entry.module}#${className}.${name}`)) return undefined;
    const statics = this.manifest.classes[entry.index]!.statics!;
    const callable = Node.isMethodDeclaration(decl) || (Node.isPropertyDeclaration(decl) && decl.getType().getCallSignatures().length > 0);
    const chains = chainTemplates(statics).get(name);
    return { module: entry.module, class: className, name, template: Object.hasOwn(statics, name) ? statics[name] : undefined, index: entry.index, callable, ...(chains ? { chains } : {}) };
  }

  /**
   * The described class a value's type is the class object of (`typeof C`): a read of the class
   * itself (`const W = C`, `use(C)`), which no static template covers.
   */
  classOfValue(type: Type): { class: string; index: number } | undefined {
    if (!this.any || type.getConstructSignatures().length === 0) return undefined;
    const decl = type.getSymbol()?.getDeclarations()[0];
    if (!decl || !Node.isClassDeclaration(decl)) return undefined;
    const entry = this.entryOf(decl);
    return entry && { class: decl.getName() ?? '', index: entry.index };
  }
}
