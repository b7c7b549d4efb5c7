/**
 * Text splices for a threading plan, on the unchanged project's texts: each changed function's
 * parameter (added or replacing the one the context covers, its uses read from the context),
 * each caller's argument, and an `import type` of the context type where a file lacks one.
 */
import { Node, SyntaxKind, type ExpressionWithTypeArguments, type SourceFile } from 'ts-morph';
import { referencesOf } from '../engine/references.js';
import { importInsertion } from '../engine/import-place.js';
import { sourcePunctuation } from '../engine/import-style.js';
import { stringLiteral } from '../engine/literal.js';
import { parseSource } from '../engine/parse.js';
import { relativeSpecifier } from '../engine/specifier.js';
import { detectEol } from '../engine/text.js';
import type { Edit } from '../engine/types.js';
import type { ContextType } from './context-type.js';
import { dropContractEdits } from './contracts.js';
import type { FnNode } from './graph.js';
import type { ParamPlan } from './params.js';
import { inRepo, relPath } from './where.js';
import { moduleIdOf, withoutIndex } from '../engine/module-id.js';
import type { ContextSourceSpec } from '../../manifest/types.js';

interface Ranked extends Edit {
  /** An argument replaced whole: edits inside it (a use of a replaced parameter) give way. */
  whole?: boolean;
}

export function threadingEdits(root: string, plans: ReadonlyMap<FnNode, ParamPlan>, ctx: ContextType, written: ReadonlyArray<{ at: Node; rule: ContextSourceSpec }> = []): Map<string, Edit[]> {
  const byFile = new Map<string, Ranked[]>();
  const add = (n: Node, e: Ranked): void => {
    const f = relPath(root, n);
    (byFile.get(f) ?? byFile.set(f, []).get(f)!).push(e);
  };
  const typed = new Set<SourceFile>();
  for (const [n, plan] of plans) {
    const fn = n.fn;
    const sf = fn.getSourceFile();
    const annotate = !/\.[cm]?jsx?$/.test(sf.getFilePath());
    if (annotate) typed.add(sf);
    const decl = annotate ? `${plan.name}: ${ctx.name}` : plan.name;
    const params = fn.getParameters();
    const target = params[plan.index];
    if (plan.field !== undefined && target) {
      add(fn, { start: target.getStart(), end: target.getEnd(), text: decl });
      const nameNode = target.getNameNode();
      for (const r of Node.isIdentifier(nameNode) ? referencesOf(nameNode) : []) {
        if (r === nameNode) continue;
        const p = r.getParent();
        const text = Node.isShorthandPropertyAssignment(p) ? `${plan.field}: ${plan.name}.${plan.field}` : `${plan.name}.${plan.field}`;
        add(r, { start: r.getStart(), end: r.getEnd(), text });
      }
    } else {
      const open = fn.getFirstChildByKind(SyntaxKind.OpenParenToken);
      if (!open && params[0]) add(fn, { start: params[0].getStart(), end: params[0].getEnd(), text: `(${decl}, ${params[0].getText()})` });
      else if (target) add(fn, { start: target.getStart(), end: target.getStart(), text: `${decl}, ` });
      else if (params.length) add(fn, { start: params[params.length - 1]!.getEnd(), end: params[params.length - 1]!.getEnd(), text: `, ${decl}` });
      else if (open) add(fn, { start: open.getEnd(), end: open.getEnd(), text: decl });
    }
    for (const e of n.callers) {
      if (e.kind === 'boundary') continue;
      const value = e.kind === 'fn' ? plans.get(e.to)!.name : e.text;
      const args = e.call.getArguments();
      const arg = args[plan.index];
      if (plan.field !== undefined && arg) add(arg, { start: arg.getStart(), end: arg.getEnd(), text: value, whole: true });
      else if (arg) add(arg, { start: arg.getStart(), end: arg.getStart(), text: `${value}, ` });
      else {
        const pad = Array.from({ length: plan.index - args.length }, () => 'undefined');
        const list = [...pad, value].join(', ');
        const last = args[args.length - 1];
        const open = e.call.getFirstChildByKind(SyntaxKind.OpenParenToken);
        if (last) add(last, { start: last.getEnd(), end: last.getEnd(), text: `, ${list}` });
        else if (open) add(e.call, { start: open.getEnd(), end: open.getEnd(), text: list });
        else add(e.call, { start: e.call.getEnd(), end: e.call.getEnd(), text: `(${list})` });
      }
    }
  }
  // legacy contracts the threaded methods leave, per file at once (two classes may share an import)
  const contracts = new Map<SourceFile, Set<ExpressionWithTypeArguments>>();
  for (const n of plans.keys()) for (const c of n.contracts) (contracts.get(c.getSourceFile()) ?? contracts.set(c.getSourceFile(), new Set()).get(c.getSourceFile())!).add(c);
  for (const [sf, entries] of contracts) for (const e of dropContractEdits([...entries])) add(sf, e);
  for (const sf of typed) {
    const imp = typeImport(root, sf, ctx);
    if (imp) add(sf.getFirstChildOrThrow(), imp);
  }
  // what a contextSources expression calls, imported where it is written (once per file and name)
  const named = new Set<string>();
  for (const { at, rule } of written) {
    const sf = at.getSourceFile();
    for (const i of rule.imports ?? []) {
      const key = `${sf.getFilePath()}#${i.name}`;
      if (named.has(key)) continue;
      named.add(key);
      const imp = importLine(root, sf, i.name, i.module, false);
      if (imp) add(sf.getFirstChildOrThrow(), imp);
    }
  }
  const out = new Map<string, Edit[]>();
  for (const [f, edits] of byFile) {
    const wholes = edits.filter((e) => e.whole);
    const kept = edits.filter((e) => !wholes.some((w) => w !== e && e.start >= w.start && e.end <= w.end));
    const seen = new Set<string>();
    out.set(f, kept.filter((e) => {
      const k = `${e.start}:${e.end}:${e.text}`;
      return seen.has(k) ? false : (seen.add(k), true);
    }).map(({ start, end, text }) => ({ start, end, text })));
  }
  return out;
}

/** `import type { Ctx } from '…'` with the file's imports (engine/import-place.ts), unless the name is bound already. */
function typeImport(root: string, sf: SourceFile, ctx: ContextType): Edit | undefined {
  if (sf === ctx.file) return undefined;
  return importLine(root, sf, ctx.name, ctx.file ? moduleIdOf(relPath(root, ctx.file)) : ctx.specifier, true);
}

/** `import { name } from '…'` for a repo module (relative, in the file's `.js` habit) or a package, unless `name` is bound. */
function importLine(root: string, sf: SourceFile, name: string, module: string | undefined, typeOnly: boolean): Edit | undefined {
  if (module === undefined || sf.getLocals().some((s) => s.getName() === name)) return undefined;
  const text = sf.getFullText();
  let spec = module;
  // a repo module is imported relative to the file; anything else is a package specifier, verbatim
  const target = sf.getProject().getSourceFiles().find((f) => inRepo(root, f) && [moduleIdOf(relPath(root, f)), withoutIndex(moduleIdOf(relPath(root, f)))].includes(module));
  if (target) {
    // the file's own habit: `.js` on relative specifiers (NodeNext) or none
    const js = sf.getImportDeclarations().some((i) => /^\.\.?\/.*\.[cm]?js$/.test(i.getModuleSpecifierValue()));
    spec = relativeSpecifier(relPath(root, sf), relPath(root, target), js);
  }
  // the engine's own parse of the text (ts-morph carries another TypeScript)
  const parsed = parseSource(sf.getFilePath(), text).sf;
  const { quote, semi } = sourcePunctuation(parsed);
  const line = `import ${typeOnly ? 'type ' : ''}{ ${name} } from ${stringLiteral(spec, quote)}${semi}`;
  return importInsertion(parsed, line, detectEol(text));
}
