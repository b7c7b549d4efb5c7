/**
 * The bench baseline: rewrite-imports as a jscodeshift transform module, for
 * `jscodeshift --parser=tsx -t codemods/rewrite-imports/jscodeshift-transform.ts --repo=DIR <files>`.
 * It covers the common forms (import / export-from / require / dynamic import specifiers and
 * named specifiers, aliasing canonical names to the old local names). As a plain jscodeshift
 * transform it parses every file it is given; with `--prefilter` it first skips files without
 * a legacy module name, as a hand-tuned transform would. The real transform is ./transform.ts
 * (splices, merging, reference renames, every form).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import type { API, FileInfo, Options } from 'jscodeshift';

interface Legacy {
  module: string;
  symbols: Record<string, string>;
}
interface Loaded {
  repo: string;
  canonical: string;
  legacy: Map<string, Legacy>;
  tokens: string[];
}

let cache: Loaded | undefined;

function load(options: Options): Loaded {
  const repo = resolve(String(options['repo'] ?? process.cwd()));
  if (cache?.repo === repo) return cache;
  const m = JSON.parse(readFileSync(join(repo, 'ssot.config.json'), 'utf8')) as { canonical: { module: string }; legacy: Legacy[] };
  const legacy = new Map(m.legacy.map((l) => [l.module, l]));
  cache = { repo, canonical: m.canonical.module, legacy, tokens: m.legacy.map((l) => posix.basename(l.module.replace(/\/index$/, ''))) };
  return cache;
}

function legacyOf(spec: string, file: string, l: Loaded): Legacy | undefined {
  if (!spec.startsWith('.')) return undefined;
  const id = posix.normalize(relative(l.repo, join(dirname(resolve(file)), spec)).split('\\').join('/')).replace(/\.(js|ts|mjs)$/, '');
  return l.legacy.get(id) ?? l.legacy.get(`${id}/index`);
}

export const parser = 'tsx';

export default function transformer(file: FileInfo, api: API, options: Options): string | undefined {
  const l = load(options);
  if (options.prefilter && !l.tokens.some((t) => file.source.includes(t))) return undefined;
  const j = api.jscodeshift;
  const root = j(file.source);
  let changed = false;
  const retarget = (node: unknown): Legacy | undefined => {
    const lit = node as { value?: unknown };
    if (typeof lit.value !== 'string') return undefined;
    const legacy = legacyOf(lit.value, file.path, l);
    if (legacy) {
      lit.value = l.canonical;
      changed = true;
    }
    return legacy;
  };
  root.find(j.ImportDeclaration).forEach((p) => {
    const legacy = retarget(p.node.source);
    if (!legacy) return;
    for (const s of p.node.specifiers ?? []) {
      if (s.type !== 'ImportSpecifier') continue;
      const canon = legacy.symbols[String(s.imported.name)];
      if (canon === undefined || canon === s.imported.name) continue;
      const local = s.local?.name ?? s.imported.name;
      s.imported = j.identifier(canon);
      s.local = j.identifier(String(local));
    }
  });
  root.find(j.ExportNamedDeclaration).forEach((p) => {
    if (!p.node.source) return;
    const legacy = retarget(p.node.source);
    if (!legacy) return;
    for (const s of p.node.specifiers ?? []) {
      if (s.type !== 'ExportSpecifier') continue;
      const canon = legacy.symbols[String(s.local?.name)];
      if (canon !== undefined && s.local && canon !== s.local.name) {
        s.exported = j.identifier(String(s.exported.name));
        s.local = j.identifier(canon);
      }
    }
  });
  root.find(j.ExportAllDeclaration).forEach((p) => void retarget(p.node.source));
  root.find(j.CallExpression).forEach((p) => {
    const callee = p.node.callee;
    const isRequire = callee.type === 'Identifier' && callee.name === 'require';
    if ((isRequire || callee.type === 'Import') && p.node.arguments[0]?.type === 'StringLiteral') retarget(p.node.arguments[0]);
  });
  return changed ? root.toSource({ quote: 'single' }) : undefined;
}
