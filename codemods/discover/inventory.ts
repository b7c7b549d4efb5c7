import type { PhaseContext } from '../engine/context.js';
import { jsonBytes } from '../engine/json-text.js';
import type { FileReport } from '../engine/types.js';
import type { Declaration, DiscoverFileData, ImportSite, LegacyAlias } from './scan.js';
import type { LegacyImport } from '../legacy-use/imports.js';
import { describeRefusal, type StrangleRefusal } from '../strangle/refusal.js';

/** Where discover commits its inventory (read later for the legacy names only the history knows: aliases). */
export const INVENTORY_JSON = '.ssot/inventory.json';
export const INVENTORY_MD = '.ssot/inventory.md';

export interface InventoryDeclaration extends Declaration {
  /** The canonical name this declaration duplicates, if any. */
  duplicateOf?: string;
}

export interface Inventory {
  canonical: string;
  files: { scanned: number; parsed: number; failed: Array<{ file: string; line: number; column: number; message: string }> };
  declarations: InventoryDeclaration[];
  /**
   * Names declared in more than one file, with those files, once per name. Not a list per
   * declaration: n files declaring one name made n lists of n-1 files (472 MiB of JSON at 20,000
   * files that all declare the legacy factory).
   */
  declaredIn: Array<{ name: string; files: string[] }>;
  importSites: ImportSite[];
  /** Sites per form, most frequent first. */
  forms: Array<{ form: string; count: number }>;
  /** Sites per target (legacy id or "canonical"). */
  targets: Array<{ target: string; count: number }>;
  /** Distinct (specifier, name, alias) forms, as in the reference census. */
  distinctForms: Array<{ specifier: string; name: string; alias?: string; count: number }>;
  dangling: ImportSite[];
  /** Loads of legacy modules no phase removes (legacy-use/left-loads.ts): remove-shim refuses until a person changes them. Absent in inventories written before. */
  leftLoads?: ImportSite[];
  /** Aliases of names the manifest makes legacy (import and export specifiers, any module). */
  aliases: LegacyAlias[];
  compliance: { compliant: number; total: number; percent: number };
  /**
   * Legacy module files strangle will refuse (strangle/refusal.ts, the decision strangle acts on):
   * said by discover, before strangle is run. Set by discover (early-warnings.ts), absent in the
   * snapshot's own inventory.
   */
  strangleRefusals?: StrangleRefusal[];
  /**
   * Extensionless Node scripts (`bin/www`) reaching a legacy module (legacy-use's answer): code that
   * stays and no phase edits, which keeps the module in use. Set by discover, as strangleRefusals.
   */
  nodeScripts?: LegacyImport[];
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Array<{ key: string; count: number }> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return [...m].map(([k, count]) => ({ key: k, count })).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
}

/**
 * Build the inventory. Compliance = sites that import from the canonical module a name it
 * exports, over all sites reaching the canonical or a legacy module (100 when there are none).
 */
export function buildInventory(ctx: PhaseContext, perFile: Array<{ report: FileReport; data?: DiscoverFileData }>, scanned: number, parsed: number): Inventory {
  const decls: Declaration[] = [];
  const sites: ImportSite[] = [];
  const aliases: LegacyAlias[] = [];
  const failed: Inventory['files']['failed'] = [];
  for (const f of perFile) {
    if (f.report.status === 'failed' && f.report.error) failed.push({ file: f.report.file, ...f.report.error });
    if (f.data) {
      decls.push(...f.data.declarations);
      sites.push(...f.data.sites);
      aliases.push(...(f.data.aliases ?? []));
    }
  }
  const canonicalNames = new Set(ctx.canonical.exports);
  const renamed = new Map<string, string>();
  for (const l of ctx.legacy) for (const [from, to] of Object.entries(l.symbols)) if (from !== 'default') renamed.set(from, to);
  const dupTypes = new Set(ctx.duplicateTypes.map((d) => d.name));
  const declaredIn = new Map<string, Set<string>>();
  for (const d of decls) {
    const files = declaredIn.get(d.name) ?? new Set<string>();
    files.add(d.file);
    declaredIn.set(d.name, files);
  }
  const declarations: InventoryDeclaration[] = decls.map((d) => {
    const out: InventoryDeclaration = { ...d };
    const dupOf = canonicalNames.has(d.name) || dupTypes.has(d.name) ? d.name : renamed.get(d.name);
    if (dupOf !== undefined) out.duplicateOf = dupOf;
    return out;
  });
  const compliant = sites.filter((s) => s.compliant).length;
  const distinct = new Map<string, { specifier: string; name: string; alias?: string; count: number }>();
  for (const s of sites) {
    const k = `${s.specifier}\0${s.name ?? '*'}\0${s.alias ?? ''}`;
    const e = distinct.get(k);
    if (e) e.count++;
    else distinct.set(k, { specifier: s.specifier, name: s.name ?? '*', ...(s.alias !== undefined ? { alias: s.alias } : {}), count: 1 });
  }
  return {
    canonical: ctx.canonical.specifier ?? ctx.canonical.moduleId ?? '',
    files: { scanned, parsed, failed },
    declarations,
    declaredIn: [...declaredIn]
      .filter(([, files]) => files.size > 1)
      .map(([name, files]) => ({ name, files: [...files] }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    importSites: sites,
    forms: countBy(sites, (s) => s.form).map(({ key, count }) => ({ form: key, count })),
    targets: countBy(sites, (s) => s.target).map(({ key, count }) => ({ target: key, count })),
    distinctForms: [...distinct.values()].sort((a, b) => b.count - a.count),
    dangling: sites.filter((s) => s.dangling),
    leftLoads: sites.filter((s) => s.left !== undefined),
    aliases,
    compliance: { compliant, total: sites.length, percent: sites.length === 0 ? 100 : Math.round((1000 * compliant) / sites.length) / 10 },
  };
}

/**
 * How many declarations duplicate a canonical name: those of legacy modules (the code the
 * migration replaces), and apart from them the candidates declared elsewhere that only share a
 * name with one (a local helper may be called `createWebSocketManager` and build something else).
 */
export function duplicateCounts(inv: Pick<Inventory, 'declarations'>): { legacy: number; candidates: number } {
  const dup = inv.declarations.filter((d) => d.duplicateOf !== undefined);
  const candidates = dup.filter((d) => d.suggestion).length;
  return { legacy: dup.length - candidates, candidates };
}

/** "12 duplicate declaration(s)", with the candidates elsewhere when there are any. */
export function duplicatePhrase(inv: Pick<Inventory, 'declarations'>): string {
  const { legacy, candidates } = duplicateCounts(inv);
  return `${legacy} duplicate declaration(s)${candidates ? ` (+${candidates} elsewhere sharing a canonical name, to check)` : ''}`;
}

/**
 * The inventory file's text as UTF-8 bytes: indented JSON, each record of scalars (a site, a
 * declaration, an alias) on one line. Built in pieces, never as one string (a big repo's
 * inventory outgrew V8's ~512 MiB string limit).
 */
export function inventoryJson(inv: object): Buffer {
  return jsonBytes(inv, { indent: 2, flatRecords: true }, '\n');
}

export function inventoryMarkdown(inv: Inventory): string {
  const lines: string[] = [];
  lines.push('# SSOT inventory', '');
  lines.push(`Canonical module: \`${inv.canonical}\``, '');
  lines.push(`**SSOT compliance: ${inv.compliance.percent}%** (${inv.compliance.compliant} of ${inv.compliance.total} import sites use the canonical module and name)`, '');
  lines.push(`Files scanned: ${inv.files.scanned}, parsed: ${inv.files.parsed}, failed to parse: ${inv.files.failed.length}`, '');
  for (const f of inv.files.failed) lines.push(`- \`${f.file}:${f.line}:${f.column}\` ${f.message}`);
  if (inv.files.failed.length) lines.push('');
  lines.push(`## Declarations (${inv.declarations.length}: ${duplicatePhrase(inv)})`, '', '| name | kind | file:line | duplicate of |', '|---|---|---|---|');
  for (const d of inv.declarations) lines.push(`| ${d.name} | ${d.kind} | ${d.file}:${d.line} | ${d.duplicateOf === undefined ? '' : d.suggestion ? `${d.duplicateOf}? (same name, outside legacy modules)` : d.duplicateOf} |`);
  lines.push('', '## Import sites by form', '', '| form | sites |', '|---|---|');
  for (const f of inv.forms) lines.push(`| ${f.form} | ${f.count} |`);
  lines.push('', '## Import sites by target', '', '| target | sites |', '|---|---|');
  for (const t of inv.targets) lines.push(`| ${t.target} | ${t.count} |`);
  lines.push('', `## Distinct forms (${inv.distinctForms.length})`, '', '| specifier | name | alias | sites |', '|---|---|---|---|');
  for (const d of inv.distinctForms) lines.push(`| \`${d.specifier}\` | ${d.name} | ${d.alias ?? ''} | ${d.count} |`);
  lines.push('', `## Dangling imports (${inv.dangling.length})`, '');
  for (const s of inv.dangling) lines.push(`- \`${s.file}:${s.line}\` imports \`${s.name}\` from \`${s.specifier}\`, which does not export it`);
  lines.push('');
  if (inv.leftLoads?.length) {
    lines.push(`## Loads the phases leave (${inv.leftLoads.length}): rewrite-imports defers them, remove-adapters rewrites the calls through them but not the load, remove-shim refuses until a person changes them`, '');
    for (const s of inv.leftLoads) lines.push(`- \`${s.file}:${s.line}\`: ${s.left} of \`${s.specifier}\` (${s.target})`);
    lines.push('');
  }
  if (inv.strangleRefusals?.length) {
    lines.push(`## strangle will refuse (${inv.strangleRefusals.length}): these modules stay legacy code, left byte-identical, until their shape changes`, '');
    for (const r of inv.strangleRefusals) lines.push(`- ${describeRefusal(r)}`);
    lines.push('');
  }
  if (inv.nodeScripts?.length) {
    lines.push(`## Node scripts reaching legacy modules (${inv.nodeScripts.length}): no phase edits them; they keep the module in use (remove-shim refuses) until a person changes them`, '');
    for (const i of inv.nodeScripts) lines.push(`- ${describeScriptImport(i)}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** "`bin/www:3` reaches `../src/ws` (src/ws, LEG001)". */
export function describeScriptImport(i: LegacyImport): string {
  return `\`${i.file}:${i.line}\` reaches \`${i.specifier}\` (${i.module}, ${i.ids.join(', ')})`;
}
