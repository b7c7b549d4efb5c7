/**
 * discover's move proposals: top-level declarations of a legacy (or adapter) module that the
 * manifest does not make legacy (no `symbols` key, adapter, described class, templated function,
 * described instance or factory entry of that module) and that non-legacy files import. A person confirms each as a `moves` entry
 * (choosing where it goes); nothing moves on a proposal alone.
 */
import { posix } from 'node:path';
import type { SsotManifest } from '../../manifest/types.js';
import { templatedNames } from '../../manifest/field-members.js';
import { moduleReferences } from '../engine/import-forms.js';
import { namedElements } from '../engine/named-list.js';
import { moduleIdOf } from '../engine/module-id.js';
import { parseSource } from '../engine/parse.js';
import type { ModuleResolver } from '../engine/resolve.js';
import ts from '../engine/ts-api.js';
import { declaredNames, fileOfModule } from './move.js';

export interface MoveProposal {
  from: string;
  name: string;
  /** Non-legacy files importing it. */
  usedBy: string[];
}

export interface ProposeInput {
  files: readonly string[];
  read(file: string): string | undefined;
  resolver: ModuleResolver;
  manifest: SsotManifest;
  /** The phase context's prefilter tokens (engine/context.ts): a file naming none imports no legacy module. */
  prefilterTokens: readonly string[];
}

export function proposeMoves(input: ProposeInput): MoveProposal[] {
  const { manifest } = input;
  const modules = [...new Set([...manifest.legacy.map((l) => l.module), ...manifest.adapters.map((a) => a.module)])];
  const byId = new Map<string, { module: string; names: Set<string> }>();
  const legacyFiles = new Set<string>();
  for (const mod of modules) {
    const file = fileOfModule(input.files, mod);
    const text = file ? input.read(file) : undefined;
    if (!file || text === undefined) continue;
    legacyFiles.add(file);
    const legacyNames = new Set<string>([
      ...manifest.legacy.filter((l) => l.module === mod).flatMap((l) => Object.keys(l.symbols)),
      ...manifest.adapters.filter((a) => a.module === mod).map((a) => a.class),
      ...manifest.classes.filter((c) => c.module === mod).map((c) => c.class),
      // templated free functions and described instances are the legacy layer itself, not bystanders
      ...manifest.functions.filter((f) => f.module === mod).flatMap((f) => [...templatedNames(f.templates)]),
      ...(manifest.instances ?? []).filter((i) => i.module === mod).map((i) => i.name),
      ...(manifest.factory?.entries ?? []).filter((e) => e.module === mod).map((e) => e.call.split('.')[0]!),
      ...manifest.moves.filter((m) => m.from === mod).map((m) => m.name),
    ]);
    const statements = parseSource(file, text).sf.statements;
    const made = madeFromLegacy(statements, legacyNames);
    const names = new Set(statements.flatMap(declaredNames).filter((n) => !legacyNames.has(n) && !made.has(n)));
    if (names.size > 0) byId.set(moduleIdOf(file), { module: mod, names });
  }
  if (byId.size === 0) return [];
  // Parsing is the cost (a 20,000-file repo): only files the syntax phases' prefilter lets through
  // (legacy module names, index specifiers, `paths` aliases), plus adapter modules' names, are parsed.
  const tokens = [...input.prefilterTokens, ...manifest.adapters.map((a) => posix.basename(a.module))];
  const used = new Map<string, Set<string>>();
  for (const f of input.files) {
    if (legacyFiles.has(f) || !/\.[cm]?[jt]sx?$/.test(f) || f.endsWith('.d.ts') || /\.legacy\.[cm]?tsx?$/.test(f)) continue;
    const text = input.read(f);
    if (text === undefined || !tokens.some((t) => text.includes(t))) continue;
    const { sf, error } = parseSource(f, text);
    if (error) continue;
    for (const r of moduleReferences(sf)) {
      const target = input.resolver.resolve(r.specifier, f);
      const mod = target === undefined ? undefined : byId.get(target);
      if (!mod) continue;
      const node = r.node;
      const els = ts.isImportDeclaration(node) || ts.isExportDeclaration(node) ? namedElements(node) : undefined;
      for (const el of els ?? []) {
        const name = (el.propertyName ?? el.name).text;
        if (!mod.names.has(name)) continue;
        const key = `${mod.module}\0${name}`;
        (used.get(key) ?? used.set(key, new Set()).get(key)!).add(f);
      }
    }
  }
  return [...used].map(([key, files]) => {
    const [from, name] = key.split('\0') as [string, string];
    return { from, name, usedBy: [...files].sort() };
  }).sort((a, b) => (a.from + a.name < b.from + b.name ? -1 : 1));
}

/**
 * Top-level consts whose value a legacy declaration makes (`new Manager()`, `Manager.getInstance()`,
 * `makeManager()`): the module's manager instance (a singleton exported as a value) is the legacy
 * layer itself, not a bystander to move out.
 */
function madeFromLegacy(statements: readonly ts.Statement[], legacyNames: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  const head = (e: ts.Expression): string | undefined => {
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e) || ts.isAwaitExpression(e)) e = e.expression;
    if (!ts.isNewExpression(e) && !ts.isCallExpression(e)) return undefined;
    let callee = e.expression;
    while (ts.isPropertyAccessExpression(callee)) callee = callee.expression;
    return ts.isIdentifier(callee) ? callee.text : undefined;
  };
  for (const st of statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      const h = d.initializer ? head(d.initializer) : undefined;
      if (ts.isIdentifier(d.name) && h !== undefined && legacyNames.has(h)) out.add(d.name.text);
    }
  }
  return out;
}
