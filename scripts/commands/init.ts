/**
 * `ssot-migrate init`: drafts ssot.config.json from the repo's code (codemods/init does the
 * analysis; this reads the files, writes the draft and prints what is left to fill in).
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { draftManifest, type InitResult } from '../../codemods/init/index.js';
import { isSourceFile } from '../../codemods/engine/files.js';
import { workspacePackages } from '../../codemods/engine/workspaces.js';
import { describeRefusal } from '../../codemods/strangle/refusal.js';
import { MANIFEST_FILE } from '../../manifest/index.js';
import { toolkitPath } from '../package-root.js';
import { findInitRoot, repoRelativeArg } from '../repo-root.js';
import { defineCommand, UsageError } from './args.js';

const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', 'coverage', 'reports']);

/** The repo's sources (TypeScript and JavaScript: the phases read both, codemods/engine/files.ts) plus every tsconfig.json (a monorepo's are in its packages) and the root package.json, repo-relative. */
export function readRepoFiles(repo: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(repo, dir)).sort()) {
      if (name.startsWith('.') || SKIP_DIRS.has(name)) continue;
      const rel = dir ? `${dir}/${name}` : name;
      const st = statSync(path.join(repo, rel));
      if (st.isDirectory()) walk(rel);
      else if (isSourceFile(name) || name === 'tsconfig.json' || (!dir && name === 'package.json')) files.set(rel, readFileSync(path.join(repo, rel), 'utf8'));
    }
  };
  walk('');
  return files;
}

/** canonical/index.ts in a checkout, dist/canonical/index.d.ts in the package. */
function canonicalEntry(name: 'index' | 'core' = 'index'): string {
  const dir = toolkitPath('canonical');
  for (const f of [`${name}.ts`, `${name}.d.ts`]) if (existsSync(path.join(dir, f))) return path.join(dir, f);
  throw new Error(`init: no canonical/${name}.ts or ${name}.d.ts next to ${dir}`);
}

/** The version of the TypeScript the repo itself installs (node_modules/typescript), if any. */
function repoTypeScriptVersion(repo: string): string | undefined {
  try {
    const pj = createRequire(path.join(repo, 'package.json')).resolve('typescript/package.json');
    const v = (JSON.parse(readFileSync(pj, 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

export function formatInit(r: InitResult, out: string): string {
  const f = r.findings;
  const lines: string[] = [];
  lines.push(`legacy modules (${f.legacyModules.length}):`);
  for (const m of f.legacyModules) lines.push(`  ${m.module}  — ${m.reason}`);
  lines.push(`legacy classes (${f.classes.length}), members the repo uses (uses; template or TODO):`);
  for (const c of f.classes) {
    lines.push(`  ${c.class} (${c.module})${c.object ? ', an object literal' : ''}`);
    for (const m of c.members) {
      lines.push(`    ${m.member} ×${m.uses}  ${m.template ?? 'TODO'}`);
      for (const k of m.chains ?? []) lines.push(`      ${k.member} ×${k.uses}  TODO (chain on what it returns)`);
    }
    for (const m of c.statics ?? []) {
      lines.push(`    static ${m.member} ×${m.uses}  ${m.template ?? 'TODO'}`);
      for (const k of m.chains ?? []) lines.push(`      static ${k.member} ×${k.uses}  TODO (chain on what it returns)`);
    }
  }
  lines.push(`legacy free functions (${f.functions.reduce((n, m) => n + m.functions.length, 0)}), called by the repo (uses; template or TODO):`);
  for (const m of f.functions)
    for (const fn of m.functions) {
      lines.push(`  ${fn.member} (${m.module}) ×${fn.uses}  ${fn.template ?? 'TODO'}`);
      for (const k of fn.chains ?? []) lines.push(`    ${k.member} ×${k.uses}  TODO (chain on what it returns)`);
    }
  lines.push(`adapters (${f.adapters.length}):`);
  for (const a of f.adapters) lines.push(`  ${a.class} (${a.module}), wraps constructor argument ${a.unwrapArg}; methods used: ${a.methods.map((m) => `${m.member} ×${m.uses}`).join(', ') || 'none'}`);
  lines.push(`exported instances (${f.instances.length}), reached by code that stays (instances[] entry, or why none):`);
  for (const x of f.instances)
    lines.push(`  ${x.name} (${x.module}, ${x.form}, ${x.at}) of ${x.class}: ${x.users.length} file(s), ${x.valueReads.length} read(s) as a value  ${x.entry !== undefined ? `instances[${x.entry}] drafted` : x.valueReads.length ? 'TODO' : 'no entry needed (member calls only)'}`);
  lines.push(`factory entries (${f.factory.length}):`);
  for (const e of f.factory) lines.push(`  ${e.call} (${e.module})`);
  // said before strangle is run: these modules stay legacy code (strangle leaves them byte-identical)
  if (f.strangleRefusals.length) {
    lines.push(`warning: strangle will refuse ${f.strangleRefusals.length} legacy module(s) as written (they stay legacy code, left byte-identical, until their shape changes):`);
    for (const x of f.strangleRefusals) lines.push(`  ${describeRefusal(x)}`);
  }
  const required = r.todo.filter((t) => t.required);
  const optional = r.todo.filter((t) => !t.required);
  lines.push(`${out} loads. Still to fill in: ${required.length} required, ${optional.length} optional`);
  lines.push('  (optional: the manifest works without them; a used member with no template is needs-review and its id stays in legacy mode.');
  lines.push('   templates: $hub, $user(x), $run(x), $ctx, $legacy, $self, $1..$9 (manifest/README.md); adapters: $m, $1..$9)');
  for (const t of required) lines.push(`  required  ${t.field}: ${t.what}`);
  for (const t of optional) lines.push(`  optional  ${t.field}: ${t.what}`);
  return lines.join('\n') + '\n';
}

export const command = defineCommand({
  name: 'init',
  summary: 'draft ssot.config.json from the code: legacy modules, used members with call counts, adapters, factory; says what is left to fill in',
  usage:
    'ssot-migrate init [--repo DIR] [--legacy PATH ...] [--out FILE] [--force] [--dry-run] [--json]\n' +
    'writes ssot.config.json (or --out FILE) in the repo; refuses to overwrite it without --force; --dry-run prints the draft and writes nothing',
  options: { legacy: { type: 'string', multiple: true }, out: { type: 'string' }, force: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  async run(a) {
    // without --repo, a package's folder (its package.json), not the git top level of a monorepo
    const repo = typeof a.values.repo === 'string' ? a.repo : findInitRoot();
    const out = typeof a.values.out === 'string' ? a.values.out : MANIFEST_FILE;
    const target = path.resolve(repo, out);
    const dryRun = a.values['dry-run'] === true;
    if (!dryRun && existsSync(target) && a.values.force !== true) throw new UsageError(`${out} already exists in ${repo}: pass --force to overwrite it (or --out FILE, or --dry-run)`);
    const legacy = ((a.values.legacy as string[] | undefined) ?? []).map((l) => repoRelativeArg(l, repo));
    // a TypeScript older than 5 cannot parse the declarations the full entry reaches (ioredis's, for
    // the Redis bus: TS1005 on JeLLek1/PIM-chess-app's 4.4.3): draft the core entry, which has none
    const tsVersion = repoTypeScriptVersion(repo);
    const older = tsVersion !== undefined && Number(tsVersion.split('.')[0]) < 5;
    let r: InitResult;
    try {
      r = draftManifest({ repoDir: repo, files: readRepoFiles(repo), legacy, workspaces: workspacePackages(repo), ...(older ? { canonicalEntry: canonicalEntry('core'), canonicalModule: 'ssot-migrate/canonical/core' } : { canonicalEntry: canonicalEntry() }) });
    } catch (err) {
      // a path no file matches: say which root it was read against
      if (err instanceof Error && err.message.startsWith('init: ')) throw new UsageError(err.message.includes('no such source file') ? `${err.message} (paths are read from the working directory, else from the repo root ${repo})` : err.message);
      throw err;
    }
    if (!dryRun) writeFileSync(target, r.text);
    if (a.json) process.stdout.write(JSON.stringify({ manifest: r.manifest, findings: r.findings, todo: r.todo, wrote: dryRun ? null : out }, null, 2) + '\n');
    else {
      if (dryRun) process.stdout.write(r.text);
      const note = older ? `canonical.module: ssot-migrate/canonical/core (the repo's TypeScript ${tsVersion} cannot read the declarations ssot-migrate/canonical reaches: the Redis bus's ioredis types)\n` : '';
      process.stdout.write(formatInit(r, out) + note + (dryRun ? 'dry run: nothing written\n' : `wrote ${out}\n`));
    }
    return 0;
  },
});
