/**
 * discover's proposals for the decisions only a person can make (MIGRATION.md, "Person
 * decisions"), each a manifest entry to confirm before the run, never applied on a proposal alone:
 * - `publicApi[].replacements`: a public module re-exports a legacy value whose canonical name is
 *   a type only (no rewrite can carry it), or re-exports under a legacy name; what it exports
 *   instead is a breaking change for its consumers.
 * - `deletions[].declaration`: an exported function (or const arrow) that only returns a legacy
 *   module whole (`import()` / `require()`) and that nothing in the repo names.
 */
import type { SsotManifest } from '../../manifest/types.js';
import type { PhaseContext } from '../engine/context.js';
import { moduleIdOf, withoutIndex } from '../engine/module-id.js';
import { moduleLoadOf } from '../engine/import-forms.js';
import { parseSource } from '../engine/parse.js';
import type { ModuleResolver } from '../engine/resolve.js';
import { buildScopeIndex } from '../engine/scope.js';
import ts from '../engine/ts-api.js';
import { identifierPattern } from '../engine/text.js';
import { fileOfModule } from '../move-declarations/move.js';

export interface ReplacementProposal {
  /** The manifest field to write, e.g. `publicApi[0].replacements.WebSocketManager`. */
  field: string;
  module: string;
  name: string;
  /** A draft value: the canonical names a person may choose from (confirm or edit). */
  replacements: string[];
  why: string;
}

export interface DeletionProposal {
  path: string;
  declaration: string;
  reason: string;
}

export interface DecisionProposals {
  replacements: ReplacementProposal[];
  deletions: DeletionProposal[];
}

export interface DecisionInput {
  files: readonly string[];
  read(file: string): string | undefined;
  resolver: ModuleResolver;
  manifest: SsotManifest;
  context: PhaseContext;
}

export function proposeDecisions(input: DecisionInput): DecisionProposals {
  return { replacements: proposeReplacements(input), deletions: proposeDeletions(input) };
}

function proposeReplacements({ files, read, resolver, manifest, context }: DecisionInput): ReplacementProposal[] {
  const out: ReplacementProposal[] = [];
  const legacyById = new Map(context.legacy.map((l) => [l.moduleId, l]));
  const canonicalExports = new Set(manifest.canonical.exports);
  const legacyNames = new Set(context.legacy.flatMap((l) => Object.keys(l.symbols)).filter((n) => n !== 'default' && !canonicalExports.has(n)));
  manifest.publicApi.forEach((p, i) => {
    const file = fileOfModule(files, p.module);
    const text = file === undefined ? undefined : read(file);
    if (file === undefined || text === undefined) return;
    const { sf, error } = parseSource(file, text);
    if (error) return;
    const propose = (name: string, replacements: string[], why: string): void => {
      if (Object.hasOwn(p.replacements ?? {}, name) || out.some((o) => o.module === p.module && o.name === name)) return;
      out.push({ field: `publicApi[${i}].replacements.${name}`, module: p.module, name, replacements, why });
    };
    for (const st of sf.statements) {
      if (!ts.isExportDeclaration(st) || !st.moduleSpecifier || !ts.isStringLiteral(st.moduleSpecifier) || !st.exportClause || !ts.isNamedExports(st.exportClause)) continue;
      const spec = st.moduleSpecifier.text;
      // typed: TypeScript 7 reads these initializers as circular (TS7022) through the loop below
      const canonical: boolean = spec === context.canonical.specifier || (context.canonical.moduleId !== undefined && resolver.resolve(spec, file) === context.canonical.moduleId);
      const legacy: (typeof context.legacy)[number] | undefined = canonical ? undefined : legacyById.get(resolver.resolve(spec, file) ?? '');
      if (!canonical && !legacy) continue;
      for (const el of st.exportClause.elements) {
        const publicName = el.name.text;
        const imported = (el.propertyName ?? el.name).text;
        const canon = canonical ? imported : legacy!.symbols[imported];
        if (canon === undefined) continue;
        if (legacy && !st.isTypeOnly && !el.isTypeOnly && legacy.exports[imported] === 'value' && context.canonical.kinds[canon] === 'type') {
          const factory = manifest.canonical.factory;
          propose(publicName, [...(factory !== undefined ? [factory] : []), `type ${canon}`], `re-exports legacy ${legacy.id}'s value ${imported}, whose canonical ${canon} is a type only`);
        } else if (legacyNames.has(publicName) && canon !== publicName) propose(publicName, [canon], `exports canonical ${canon} under the legacy name ${publicName}`);
      }
    }
  });
  return out;
}

function proposeDeletions({ files, read, resolver, manifest, context }: DecisionInput): DeletionProposal[] {
  const legacyById = new Map(context.legacy.map((l) => [l.moduleId, l]));
  const legacyFiles = new Set(files.filter((f) => legacyById.has(moduleIdOf(f))));
  const scheduled = new Set(manifest.deletions.map((d) => (d.declaration === undefined ? d.path : `${d.path}#${d.declaration}`)));
  const candidates: Array<DeletionProposal & { file: string }> = [];
  for (const file of files) {
    if (legacyFiles.has(file) || scheduled.has(file) || !/\.[cm]?tsx?$/.test(file) || file.endsWith('.d.ts') || /\.legacy\.[cm]?tsx?$/.test(file)) continue;
    const text = read(file);
    if (text === undefined || !/\b(?:import|require)\s*\(/.test(text)) continue;
    const { sf, error } = parseSource(file, text);
    if (error) continue;
    const scope = buildScopeIndex(sf);
    for (const st of sf.statements) {
      const loader = moduleLoader(st);
      if (!loader || scheduled.has(`${file}#${loader.name}`)) continue;
      const legacy = legacyById.get(resolver.resolve(loader.literal.text, file) ?? '');
      // used in its own file: not dead
      if (!legacy || (scope.references.get(loader.name) ?? []).length > 0) continue;
      candidates.push({ file, path: file, declaration: loader.name, reason: `returns legacy module ${legacy.id} (${withoutIndex(legacy.moduleId)}) whole; nothing in the repo names ${loader.name}` });
    }
  }
  if (candidates.length === 0) return [];
  // nothing else in the repo names it (a conservative word search: a name in a comment keeps it)
  const texts = files.filter((f) => /\.[cm]?[jt]sx?$/.test(f)).map((f) => ({ f, t: read(f) ?? '' }));
  return candidates
    .filter((c) => !texts.some(({ f, t }) => f !== c.file && identifierPattern(c.declaration).test(t)))
    .map(({ path, declaration, reason }) => ({ path, declaration, reason }));
}

/** An exported function or const arrow whose whole body returns `import('m')` / `require('m')`. */
function moduleLoader(st: ts.Statement): { name: string; literal: ts.StringLiteralLike } | undefined {
  const exported = ts.canHaveModifiers(st) && (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  if (!exported) return undefined;
  const returned = (body: ts.ConciseBody | undefined): ts.Expression | undefined => {
    if (!body) return undefined;
    if (!ts.isBlock(body)) return body;
    const only = body.statements.length === 1 ? body.statements[0] : undefined;
    return only && ts.isReturnStatement(only) ? only.expression : undefined;
  };
  let name: string | undefined;
  let value: ts.Expression | undefined;
  if (ts.isFunctionDeclaration(st) && st.name && st.body) {
    name = st.name.text;
    value = returned(st.body);
  } else if (ts.isVariableStatement(st) && st.declarationList.declarations.length === 1) {
    const d = st.declarationList.declarations[0]!;
    const init = d.initializer;
    if (ts.isIdentifier(d.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
      name = d.name.text;
      value = returned(init.body);
    }
  }
  const literal = value === undefined ? undefined : moduleLoadOf(value);
  return name !== undefined && literal !== undefined ? { name, literal } : undefined;
}
