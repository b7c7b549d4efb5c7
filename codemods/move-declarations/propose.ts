/**
 * discover's move proposals: top-level declarations of a legacy (or adapter) module that the
 * manifest does not make legacy (no `symbols` key, adapter, described class or factory entry
 * of that module) and that non-legacy files import. A person confirms each as a `moves` entry
 * (choosing where it goes); nothing moves on a proposal alone.
 */
import type { SsotManifest } from '../../manifest/types.js';
import { moduleReferences } from '../engine/import-forms.js';
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

export function proposeMoves(input: { files: readonly string[]; read(file: string): string | undefined; resolver: ModuleResolver; manifest: SsotManifest }): MoveProposal[] {
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
      ...(manifest.factory?.entries ?? []).filter((e) => e.module === mod).map((e) => e.call.split('.')[0]!),
      ...manifest.moves.filter((m) => m.from === mod).map((m) => m.name),
    ]);
    const names = new Set(parseSource(file, text).sf.statements.flatMap(declaredNames).filter((n) => !legacyNames.has(n)));
    if (names.size > 0) byId.set(moduleIdOf(file), { module: mod, names });
  }
  if (byId.size === 0) return [];
  // Parsing is the cost (a 20,000-file repo): only files whose text names a module's last path
  // segment (its folder's for an index) can import it, whatever the specifier's form or alias.
  const tokens = [...byId.values()].map(({ module }) => {
    const parts = module.split('/');
    return parts.at(-1) === 'index' && parts.length > 1 ? parts.at(-2)! : parts.at(-1)!;
  });
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
      const els = ts.isImportDeclaration(node)
        ? node.importClause?.namedBindings && ts.isNamedImports(node.importClause.namedBindings) ? node.importClause.namedBindings.elements : undefined
        : ts.isExportDeclaration(node) && node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
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
