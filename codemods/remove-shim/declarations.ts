/**
 * remove-shim's part of `deletions[].declaration`: each scheduled top-level declaration is
 * deleted (engine/delete-declaration.ts) with the shim, in the same verified commit, unless code
 * that stays still uses it: a use elsewhere in its file, or another file importing the name
 * (named, through a namespace, require or import() naming it, `import('m').name`) or
 * re-exporting the module whole (`export *`, whose consumers may reach the name).
 */
import { deleteDeclaration } from '../engine/delete-declaration.js';
import { moduleReferences } from '../engine/import-forms.js';
import { moduleIdOf } from '../engine/module-id.js';
import { parseSource } from '../engine/parse.js';
import { identifierPattern, lineColumn } from '../engine/text.js';
import ts from '../engine/ts-api.js';
import { reachTokens, userFiles } from '../legacy-use/index.js';
import type { ReviewItem } from '../phase/types.js';
import type { RepoSnapshot } from '../snapshot/snapshot.js';
import type { DeletionSpec } from '../../manifest/types.js';

export interface DeclarationDeletionPlan {
  /** File -> its text without the scheduled declarations. */
  writes: Map<string, string>;
  /** The deletions applied, for the commit's trailer. */
  deleted: DeletionSpec[];
  /** Uses that keep a declaration alive: remove-shim refuses on any. */
  refusals: ReviewItem[];
  /** Scheduled declarations no longer in their file (deleted by hand already): reported, not refused. */
  missing: ReviewItem[];
}

export function planDeclarationDeletions(snapshot: RepoSnapshot): DeclarationDeletionPlan {
  const plan: DeclarationDeletionPlan = { writes: new Map(), deleted: [], refusals: [], missing: [] };
  const specs = snapshot.manifest.deletions.map((d, i) => ({ d, i })).filter(({ d }) => d.declaration !== undefined);
  if (specs.length === 0) return plan;
  const others = userFiles(snapshot);
  for (const { d, i } of specs) {
    const name = d.declaration!;
    const text = plan.writes.get(d.path) ?? snapshot.read(d.path);
    if (text === undefined) {
      plan.missing.push({ file: d.path, line: 0, message: `deletions[${i}]: ${d.path} does not exist, so neither does ${name}` });
      continue;
    }
    const r = deleteDeclaration(d.path, text, name);
    if ('missing' in r) {
      plan.missing.push({ file: d.path, line: 0, message: `deletions[${i}]: ${d.path} declares no top-level ${name} (deleted already?)` });
      continue;
    }
    if ('error' in r) {
      plan.refusals.push({ file: d.path, line: 0, message: `deletions[${i}]: ${r.error}` });
      continue;
    }
    const uses = usesElsewhere(snapshot, others.filter((f) => f !== d.path), d.path, name);
    if (uses.length) {
      plan.refusals.push(...uses.map((u) => ({ ...u, message: `${u.message}, which deletions[${i}] deletes from ${d.path}; remove the use first, or drop the deletion` })));
      continue;
    }
    plan.writes.set(d.path, r.after);
    plan.deleted.push(d);
  }
  return plan;
}

/** Where files other than its own use `name` of the module `path`. */
function usesElsewhere(snapshot: RepoSnapshot, files: readonly string[], path: string, name: string): ReviewItem[] {
  const id = moduleIdOf(path);
  const tokens = reachTokens([id], snapshot.resolver, snapshot.resolverData);
  const word = identifierPattern(name);
  const out: ReviewItem[] = [];
  for (const file of files) {
    const text = snapshot.read(file);
    if (text === undefined || !tokens.some((t) => text.includes(t))) continue;
    const { sf } = parseSource(file, text);
    for (const ref of moduleReferences(sf)) {
      if (snapshot.resolver.resolve(ref.specifier, file) !== id) continue;
      const why = useOf(ref.node, name, word.test(text));
      if (why) out.push({ file, line: lineColumn(text, ref.literal.getStart(sf)).line, message: `${why} ('${ref.specifier}')` });
    }
  }
  return out;
}

/** How one module reference uses `name`, or undefined when it does not. */
function useOf(node: ts.Node, name: string, nameInText: boolean): string | undefined {
  if (ts.isImportDeclaration(node)) {
    const nb = node.importClause?.namedBindings;
    if (nb && ts.isNamedImports(nb) && nb.elements.some((e) => (e.propertyName ?? e.name).text === name)) return `imports ${name}`;
    if (nb && ts.isNamespaceImport(nb) && nameInText) return `imports the module whole and names ${name}`;
    return undefined;
  }
  if (ts.isExportDeclaration(node)) {
    const clause = node.exportClause;
    if (!clause) return `re-exports the module whole (export *), ${name} included`;
    if (ts.isNamedExports(clause)) return clause.elements.some((e) => (e.propertyName ?? e.name).text === name) ? `re-exports ${name}` : undefined;
    return nameInText ? `re-exports the module as a namespace and names ${name}` : undefined;
  }
  if (ts.isImportTypeNode(node)) return node.qualifier && ts.isIdentifier(node.qualifier) && node.qualifier.text === name ? `names ${name} in import('…').${name}` : undefined;
  // import x = require(), require(), import(): the whole module
  return nameInText ? `loads the module whole and names ${name}` : undefined;
}
