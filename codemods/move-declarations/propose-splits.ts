/**
 * discover's split proposals: a legacy class a `classes[]` entry describes whose other members —
 * no template, not served by legacy code — are still used outside the legacy modules is two things
 * at once (the socket layer and app state: presence, logs, a cache), so remove-adapters would mark
 * each such use for a person. The proposal is a `splits` entry keeping every member without a
 * template (a kept member may need the others, and a person trims the list); a person confirms it
 * and picks the module, nothing moves on a proposal alone.
 */
import { posix } from 'node:path';
import type { SsotManifest } from '../../manifest/types.js';
import { parseSource } from '../engine/parse.js';
import { escapeRegExp } from '../engine/text.js';
import ts from '../engine/ts-api.js';
import { fileOfModule } from './move.js';
import { templatedMembers } from '../../manifest/field-members.js';

export interface SplitProposal {
  module: string;
  class: string;
  /** A module for the app class beside the legacy one (`<name>-state`); a person may pick another. */
  to: string;
  /** Members without a template, in declaration order. */
  keep: string[];
  /** The kept members used outside the legacy modules, each with the files naming it. */
  usedBy: Record<string, string[]>;
}

export interface ProposeSplitsInput {
  files: readonly string[];
  read(file: string): string | undefined;
  manifest: SsotManifest;
  /** The phase context's prefilter tokens (engine/context.ts): a file naming none reaches no legacy module. */
  prefilterTokens: readonly string[];
}

export function proposeSplits(input: ProposeSplitsInput): SplitProposal[] {
  const { manifest } = input;
  const legacyFiles = new Set<string>();
  for (const mod of [...manifest.legacy.map((l) => l.module), ...manifest.adapters.map((a) => a.module)]) {
    const f = fileOfModule(input.files, mod);
    if (f) legacyFiles.add(f);
  }
  const candidates: Array<{ module: string; class: string; keep: string[]; instance: string[] }> = [];
  for (const c of manifest.classes) {
    if (manifest.splits.some((s) => s.module === c.module && s.class === c.class)) continue;
    const file = fileOfModule(input.files, c.module);
    const text = file ? input.read(file) : undefined;
    if (!file || text === undefined) continue;
    const decl = parseSource(file, text).sf.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === c.class);
    if (!decl) continue; // an interface entry, or a class declared elsewhere: nothing to split here
    // a static with a template (classes[].statics) is served like a templated member: nothing to keep
    const keep = keptMembers(decl, new Set([...templatedMembers(c.members), ...(c.legacyMembers ?? []), ...Object.keys(c.statics ?? {})]));
    // a proposal is about instances' app state: statics (a factory's getInstance, `statics` templates) never call for one
    const instanceNames = new Set(decl.members.filter((m) => (ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Static) === 0).flatMap((m) => memberName(m) ?? []));
    if (keep.length > 0) candidates.push({ module: c.module, class: c.class, keep, instance: keep.filter((n) => instanceNames.has(n)) });
  }
  if (candidates.length === 0) return [];
  // where each kept member is named as a member (`.name`) outside the legacy modules: a syntax-only
  // search, enough for a proposal a person confirms
  const patterns = new Map<string, RegExp>();
  for (const c of candidates) for (const n of c.instance) if (!isPrivateName(n)) patterns.set(n, new RegExp(`\\??\\.\\s*${escapeRegExp(n)}(?![\\w$])`));
  const tokens = input.prefilterTokens;
  const usedBy = new Map<string, Set<string>>();
  for (const f of input.files) {
    if (legacyFiles.has(f) || !/\.[cm]?[jt]sx?$/.test(f) || f.endsWith('.d.ts') || /\.legacy\.[cm]?[jt]sx?$/.test(f)) continue;
    const text = input.read(f);
    if (text === undefined || !tokens.some((t) => text.includes(t))) continue;
    for (const [name, re] of patterns) if (re.test(text)) (usedBy.get(name) ?? usedBy.set(name, new Set()).get(name)!).add(f);
  }
  const out: SplitProposal[] = [];
  for (const c of candidates) {
    const used: Record<string, string[]> = {};
    for (const n of c.instance) {
      const files = usedBy.get(n);
      if (files) used[n] = [...files].sort();
    }
    if (Object.keys(used).length === 0) continue; // nothing outside uses what has no template: remove-shim deletes it with the module
    out.push({ module: c.module, class: c.class, to: stateModuleBeside(c.module, input.files), keep: c.keep, usedBy: used });
  }
  return out;
}

/**
 * Every member without a template, except a private one only the members that go use (the socket
 * map the templated members read): kept, it would be a dead field once they are deleted. The
 * constructor stays, so what it uses stays.
 */
function keptMembers(decl: ts.ClassDeclaration, served: ReadonlySet<string>): string[] {
  const uses = (n: ts.Node, into: Set<string>): Set<string> => {
    if (ts.isPropertyAccessExpression(n) && n.expression.kind === ts.SyntaxKind.ThisKeyword) into.add(n.name.text);
    ts.forEachChild(n, (c) => void uses(c, into));
    return into;
  };
  const names: string[] = [];
  const isPrivate = new Map<string, boolean>();
  const usedBy = new Map<string, Set<string>>();
  const roots = new Set<string>();
  for (const m of decl.members) {
    const name = memberName(m);
    const used = uses(m, new Set());
    if (name === undefined) {
      used.forEach((u) => roots.add(u)); // the constructor, static blocks: they stay
      continue;
    }
    if (!isPrivate.has(name)) names.push(name);
    const priv = ts.isPrivateIdentifier(m.name!) || (ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Private) !== 0;
    isPrivate.set(name, (isPrivate.get(name) ?? true) && priv);
    usedBy.set(name, new Set([...(usedBy.get(name) ?? []), ...used]));
  }
  const kept = new Set(names.filter((n) => !served.has(n) && !isPrivate.get(n)));
  // a private member stays when something that stays uses it, or when nothing that goes does
  const goes = (n: string) => served.has(n);
  const usedByGoing = new Set(names.filter(goes).flatMap((n) => [...(usedBy.get(n) ?? [])]));
  for (const n of names) if (!served.has(n) && isPrivate.get(n) && (roots.has(n) || !usedByGoing.has(n))) kept.add(n);
  for (let grew = true; grew; ) {
    grew = false;
    for (const k of [...kept]) for (const u of usedBy.get(k) ?? []) if (!kept.has(u) && !served.has(u) && names.includes(u)) (kept.add(u), (grew = true));
  }
  return names.filter((n) => kept.has(n));
}

/** A class member's name (properties, methods, accessors); none for the constructor, index signatures, static blocks and computed names. */
function memberName(m: ts.ClassElement): string | undefined {
  if (ts.isConstructorDeclaration(m) || !m.name) return undefined;
  if (ts.isIdentifier(m.name) || ts.isPrivateIdentifier(m.name)) return m.name.text;
  if (ts.isStringLiteral(m.name)) return m.name.text;
  return undefined;
}

function isPrivateName(name: string): boolean {
  return name.startsWith('#');
}

/** `src/gateway/gateway.service` → `src/gateway/gateway-state.service` (a numbered name when that module exists). */
function stateModuleBeside(module: string, files: readonly string[]): string {
  const dir = posix.dirname(module);
  const base = posix.basename(module);
  const dot = base.indexOf('.');
  const [head, tail] = dot > 0 ? [base.slice(0, dot), base.slice(dot)] : [base, ''];
  for (let i = 1; ; i++) {
    const candidate = posix.join(dir, `${head}-state${i === 1 ? '' : i}${tail}`);
    if (!fileOfModule(files, candidate)) return candidate;
  }
}
