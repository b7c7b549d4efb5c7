/** Phase 4's analysis over a set of files: one project, every type question first, then text splices per file (plan-file.ts). */
import { SyntaxKind, type CallExpression, type Project } from 'ts-morph';
import type { SsotManifest } from '../../manifest/types.js';
import type { ReviewItem } from '../phase/types.js';
import { parseSource } from '../engine/parse.js';
import { threadInProject } from '../context-threading/index.js';
import { Analyzer, planFile, type AnalysisResult, type FileChange } from './plan-file.js';

/** Strings a file must contain to need this phase (adapter classes, factory entry names). */
export function removeAdaptersTokens(manifest: SsotManifest): string[] {
  const t = new Set<string>();
  for (const a of manifest.adapters) t.add(a.class);
  for (const e of manifest.factory?.entries ?? []) t.add(e.call.split('.')[0]!);
  return [...t];
}

/**
 * `files` are repo-relative; `project(files)` loads them (and what they import) once. Files
 * that do not parse are reported and left byte-identical.
 */
export function analyzeRemoveAdapters(root: string, manifest: SsotManifest, files: readonly string[], read: (f: string) => string | undefined, project: (files: readonly string[]) => Project): AnalysisResult {
  const tokens = removeAdaptersTokens(manifest);
  const problems: ReviewItem[] = [];
  const needsReview: ReviewItem[] = [];
  const texts = new Map<string, string>();
  for (const file of files) {
    const text = read(file);
    if (text === undefined || !tokens.some((t) => text.includes(t))) continue;
    const { error } = parseSource(file, text);
    if (error) {
      problems.push({ file, line: error.line, message: `does not parse (${error.message}); left untouched` });
      continue;
    }
    texts.set(file, text);
  }
  if (texts.size === 0) return { changes: [], needsReview, problems, edits: 0 };
  const p = project([...texts.keys()]);
  const an = new Analyzer(root, manifest);
  const editable = new Set(files);
  // callers can be in any file the phase edits: the checker must see them all before threading
  const threading = threadFactoryCalls(root, manifest, an, p, texts, read, (f) => editable.has(f), () => project(files));
  const changes: FileChange[] = [];
  let edits = threading.edits;
  for (const [file, text] of texts) {
    const before = threading.files.get(file)?.before ?? text;
    const r = planFile(an, manifest, { file, text, sf: p.getSourceFileOrThrow(`${root}/${file}`) }, needsReview);
    if (r) edits += r.edits;
    const after = r?.after ?? text;
    if (after !== before) changes.push({ file, before, after });
  }
  return { changes, needsReview, problems, edits, threaded: threading.threaded, markers: threading.markers };
}

/**
 * Factory calls with no context in scope: context threading gives their functions a context
 * parameter and updates the callers (in the project, so planFile finds it in scope by type);
 * where a boundary stops it, the call's review item names the chain. Threaded files join `texts`.
 */
function threadFactoryCalls(root: string, manifest: SsotManifest, an: Analyzer, p: Project, texts: Map<string, string>, read: (f: string) => string | undefined, editable: (f: string) => boolean, loadAll: () => void) {
  const sites: CallExpression[] = [];
  for (const file of texts.keys()) {
    for (const call of p.getSourceFileOrThrow(`${root}/${file}`).getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const ctx = an.isFactoryCall(call) ? an.contextFor(call) : undefined;
      // several candidates is a choice for a person, not a missing parameter
      if (ctx && 'missing' in ctx && !/several/.test(ctx.missing)) sites.push(call);
    }
  }
  if (sites.length) loadAll();
  const t = threadInProject(p, sites, { root, manifest, editable, isContext: (ty) => an.isContext(ty), contextAt: (c) => an.contextFor(c) }, read);
  an.noContext = (call) => t.noContext(call);
  for (const [file, { after }] of t.files) texts.set(file, after);
  return t;
}
