/**
 * `require('…')` in a TypeScript file is `any` to the checker (only `import x = require()` and
 * `import()` are typed), so a legacy module loaded that way hides every type question this phase
 * asks: `mod.getFactory().count(u)` has no legacy receiver, `const { getManager } = require(m)`
 * calls no legacy factory. Here such a load is looked through: the module the specifier resolves
 * to (as Node's `require` would, from the importing file) is read for its declared exports, and a
 * member chain rooted at the load gets the types the module declares. Only modules the manifest
 * names are looked through (the legacy side); the text is not changed.
 */
import { Node, ts as morphTs, type Identifier, type SourceFile, type Type } from 'ts-morph';
import type ts from 'typescript';
import type { SsotManifest } from '../../manifest/types.js';
import { moduleLoadOf } from '../engine/import-forms.js';
import { moduleIdOf, normalizeId } from '../engine/module-id.js';

const modId = (m: string): string => normalizeId(m).replace(/\/index$/, '');

export class UntypedLoads {
  private readonly modules: Set<string>;
  private readonly loaded = new Map<Node, SourceFile | null>();

  private readonly canonical: string;

  constructor(private readonly root: string, manifest: SsotManifest) {
    this.canonical = manifest.canonical.module;
    this.modules = new Set([
      ...manifest.legacy.map((l) => modId(l.module)),
      ...manifest.classes.map((c) => modId(c.module)),
      ...manifest.adapters.map((a) => modId(a.module)),
      ...(manifest.factory?.entries ?? []).map((e) => modId(e.module)),
    ]);
  }

  /** The legacy module an untyped `require('…')` (awaited, parenthesised or asserted) loads. */
  private moduleOfLoad(e: Node): SourceFile | undefined {
    if (!this.loaded.has(e)) this.loaded.set(e, this.resolveLoad(e) ?? null);
    return this.loaded.get(e) ?? undefined;
  }

  private resolveLoad(e: Node): SourceFile | undefined {
    // ts-morph bundles its own copy of the compiler API: same nodes, other declarations
    const literal = moduleLoadOf(e.compilerNode as unknown as ts.Expression);
    if (!literal || !untyped(e.getType())) return undefined; // a typed load needs no help
    const sf = e.getSourceFile();
    const project = sf.getProject();
    // `require` resolves like CommonJS (no extension needed) whatever the file's own module kind
    const mode = (literal.parent as ts.CallExpression).expression.kind === (morphTs.SyntaxKind.ImportKeyword as number) ? undefined : morphTs.ModuleKind.CommonJS;
    const r = morphTs.resolveModuleName(literal.text, sf.getFilePath(), project.getCompilerOptions(), project.getModuleResolutionHost(), undefined, undefined, mode as morphTs.ResolutionMode).resolvedModule;
    if (!r) return undefined;
    const file = r.resolvedFileName;
    const rel = file.startsWith(`${this.root}/`) ? file.slice(this.root.length + 1) : file;
    // the canonical module too: a canonical factory reached this way may lack its context (unchecked)
    const known = literal.text === this.canonical || (!r.isExternalLibraryImport && this.modules.has(modId(moduleIdOf(rel).replace(/\.legacy$/, ''))));
    if (!known) return undefined;
    return project.getSourceFile(file) ?? project.addSourceFileAtPathIfExists(file);
  }

  /**
   * What a name or member read stands for when it comes from an untyped load of a legacy
   * module: the module itself (`const mod = require(m)`, read as `mod`), or the declaration it
   * exports (`mod.f`, `const { f } = require(m)`, `require(m).f`). Undefined otherwise.
   */
  declOf(n: Node): Node | undefined {
    const e = this.exportOf(n);
    if (!e) return undefined;
    return e.name === undefined ? e.module : exported(e.module, e.name);
  }

  /** Whether `n` is the canonical module's export `name` reached through an untyped load. */
  isCanonical(n: Node, name: string): boolean {
    const e = this.exportOf(n);
    return e !== undefined && e.name === name && e.specifier === this.canonical;
  }

  /** The loaded module and the export a name or member read takes from it (none: the module itself). */
  private exportOf(n: Node): { module: SourceFile; specifier: string; name?: string } | undefined {
    if (Node.isParenthesizedExpression(n) || Node.isNonNullExpression(n)) return this.exportOf(n.getExpression());
    if (Node.isPropertyAccessExpression(n)) {
      const owner: { module: SourceFile; specifier: string; name?: string } | undefined = this.exportOf(n.getExpression()) ?? this.load(n.getExpression());
      return owner && owner.name === undefined ? { ...owner, name: n.getName() } : undefined;
    }
    if (!Node.isIdentifier(n)) return undefined;
    const decl = n.getSymbol()?.getDeclarations()[0];
    if (Node.isVariableDeclaration(decl) && Node.isIdentifier(decl.getNameNode())) {
      const init = decl.getInitializer();
      return init ? this.load(init) : undefined;
    }
    if (Node.isBindingElement(decl)) {
      const holder = decl.getParent().getParent();
      const init = Node.isVariableDeclaration(holder) ? holder.getInitializer() : undefined;
      const mod = init && this.load(init);
      const key = decl.getPropertyNameNode() ?? decl.getNameNode();
      return mod && Node.isIdentifier(key) && !decl.getDotDotDotToken() ? { ...mod, name: (key as Identifier).getText() } : undefined;
    }
    return undefined;
  }

  private load(e: Node): { module: SourceFile; specifier: string } | undefined {
    const module = this.moduleOfLoad(e);
    const literal = module && moduleLoadOf(e.compilerNode as unknown as ts.Expression);
    return module && literal ? { module, specifier: literal.text } : undefined;
  }

  /**
   * An expression's type, looked through untyped loads of legacy modules: a member, a call's
   * return and a member call's return along a chain rooted at one (`mod.getFactory().count`).
   * Everything else is the checker's type.
   */
  typeOf(n: Node): Type {
    const t = n.getType();
    if (!untyped(t)) return t;
    if (Node.isParenthesizedExpression(n) || Node.isNonNullExpression(n)) return this.typeOf(n.getExpression());
    if (Node.isCallExpression(n)) {
      const callee = n.getExpression();
      const sig = this.typeOf(callee).getCallSignatures()[0];
      return sig ? sig.getReturnType() : t;
    }
    const decl = this.declOf(n);
    // a class read as a value is its static side (`typeof C`), not its instances
    if (decl && Node.isClassDeclaration(decl)) return decl.getSymbol()?.getTypeAtLocation(decl) ?? t;
    if (decl && !Node.isSourceFile(decl)) return decl.getType();
    // `const m = mod.getFactory()` (no annotation): m is what its initializer is
    const local = Node.isIdentifier(n) ? n.getSymbol()?.getDeclarations()[0] : undefined;
    if (Node.isVariableDeclaration(local) && !local.getTypeNode() && local.getVariableStatement()?.getDeclarationKind() === 'const') {
      const init = local.getInitializer();
      if (init && init !== n) return this.typeOf(init);
    }
    if (Node.isPropertyAccessExpression(n)) {
      const owner = this.typeOf(n.getExpression());
      const prop = untyped(owner) ? undefined : owner.getProperty(n.getName());
      if (prop) return prop.getTypeAtLocation(n);
    }
    return t;
  }
}

/** What `require()` returns to the checker: `any` (@types/node), or `unknown` where a repo declares it so. */
function untyped(t: Type): boolean {
  return t.isAny() || t.isUnknown();
}

function exported(sf: SourceFile, name: string): Node | undefined {
  return sf.getExportedDeclarations().get(name)?.[0];
}
