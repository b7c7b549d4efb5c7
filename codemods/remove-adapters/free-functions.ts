/**
 * Which names stand for a legacy free function the manifest's `functions[]` describes, by the
 * declaration they resolve to (type checker): a named or aliased import, a namespace member
 * (`ws.broadcast`), a member of a default-exported object of the module's functions
 * (`export default { sendToUser }`), a binding destructured from `require()` / `await import()`,
 * and a re-export under another name. The module is the declaring one, or its strangled facade's
 * `export const f = defineLegacyFreeFunction(…)` (both are the module: `.legacy` is stripped), or a
 * CommonJS module's `exports.f = …` (its facade's too).
 */
import { Node } from 'ts-morph';
import type { SsotManifest } from '../../manifest/types.js';
import { moduleIdOf, normalizeId } from '../engine/module-id.js';
import { chainTemplates } from '../../manifest/field-members.js';

export interface FreeFunctionHit {
  /** Repo-relative module id (no `/index`). */
  module: string;
  name: string;
  /** The manifest's template for it, or undefined when the module is described but the function has none. */
  template: string | undefined;
  /** `functions[index]`. */
  index: number;
  /** Chain templates on what its call returns (`"getConnection.send"` → `send`), when it has any. */
  chains?: ReadonlyMap<string, string>;
}

/**
 * The name a CommonJS module exports with a top-level `exports.name = …` / `module.exports.name = …`
 * (the checker's declaration of such a property is that assignment, or its left side), if `decl` is one.
 */
function commonJsExport(decl: Node): string | undefined {
  const left = Node.isBinaryExpression(decl) ? decl.getLeft() : decl;
  if (!Node.isPropertyAccessExpression(left)) return undefined;
  const assignment = left.getParent();
  if (!Node.isBinaryExpression(assignment) || assignment.getLeft() !== left) return undefined;
  const statement = assignment.getParent();
  if (!Node.isExpressionStatement(statement) || !Node.isSourceFile(statement.getParent())) return undefined;
  const holder = left.getExpression().getText();
  return holder === 'exports' || holder === 'module.exports' ? left.getName() : undefined;
}

const modId = (m: string): string => normalizeId(m).replace(/\/index$/, '');

export class FreeFunctions {
  private readonly byModule = new Map<string, { templates: Record<string, string>; index: number }>();

  constructor(private readonly root: string, manifest: SsotManifest) {
    manifest.functions.forEach((f, index) => this.byModule.set(modId(f.module), { templates: f.templates, index }));
  }

  get any(): boolean {
    return this.byModule.size > 0;
  }

  /** The module id of a node's file (`.legacy` stripped), as the manifest writes it. */
  moduleOf(n: Node): string {
    const p = n.getSourceFile().getFilePath();
    return modId(moduleIdOf(p.startsWith(`${this.root}/`) ? p.slice(this.root.length + 1) : p).replace(/\.legacy$/, ''));
  }

  /** The described function `n` (an identifier or a property access) names, if any. */
  of(n: Node, declAt: (n: Node) => Node | undefined): FreeFunctionHit | undefined {
    if (!this.any) return undefined;
    const decl = this.declaration(n, declAt);
    if (!decl) return undefined;
    const cjs = commonJsExport(decl);
    const name = cjs ?? (Node.isFunctionDeclaration(decl) || Node.isVariableDeclaration(decl) ? decl.getName() : undefined);
    if (name === undefined) return undefined;
    // only a top-level declaration is one of the module's functions (a CommonJS export is one by construction)
    const top = cjs !== undefined ? decl.getSourceFile() : Node.isVariableDeclaration(decl) ? decl.getVariableStatement()?.getParent() : decl.getParent();
    if (!Node.isSourceFile(top)) return undefined;
    const module = this.moduleOf(decl);
    const entry = this.byModule.get(module);
    if (!entry) return undefined;
    // a value that is not a function (an exported constant) is not a free function
    if (decl.getType().getCallSignatures().length === 0) return undefined;
    const chains = chainTemplates(entry.templates).get(name);
    return { module, name, template: Object.hasOwn(entry.templates, name) ? entry.templates[name] : undefined, index: entry.index, ...(chains ? { chains } : {}) };
  }

  private declaration(n: Node, declAt: (n: Node) => Node | undefined, depth = 0): Node | undefined {
    if (depth > 4) return undefined;
    const decl = declAt(n);
    if (!decl) return undefined;
    // `const { sendToUser: push } = require('./ws')`: the property of the loaded module's type
    if (Node.isBindingElement(decl)) {
      const pattern = decl.getParent();
      const holder = pattern?.getParent();
      const init = Node.isVariableDeclaration(holder) ? holder.getInitializer() : undefined;
      const prop = decl.getPropertyNameNode()?.getText() ?? decl.getName();
      return init?.getType().getProperty(prop)?.getDeclarations()[0] ?? decl;
    }
    // `export default { sendToUser, broadcast: send }`: follow the object's property to its value
    if (Node.isShorthandPropertyAssignment(decl)) {
      const value = decl.getValueSymbol()?.getDeclarations()[0];
      const target = value && (value.getSymbol()?.isAlias() ? value.getSymbol()?.getAliasedSymbol()?.getDeclarations()[0] : value);
      return target;
    }
    if (Node.isPropertyAssignment(decl)) {
      const init = decl.getInitializer();
      return init && (Node.isIdentifier(init) || Node.isPropertyAccessExpression(init)) ? this.declaration(init, declAt, depth + 1) : undefined;
    }
    return decl;
  }
}
