/**
 * The ast-grep baseline's rules: the structural rewrite a team would write with @ast-grep/cli
 * instead of running rewrite-imports, generated from the same repo's manifest. One rule per
 * legacy module retargets the module string of imports, re-exports, require() and import()
 * to the canonical module; one rule per renamed legacy name renames identifiers and type
 * identifiers of that name. It is deliberately what ast-grep can say: no resolution (a module
 * is matched by its path's last segments), no scopes, no merging, no kinds.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ManifestLike {
  canonical: { module: string };
  legacy: Array<{ module: string; symbols: Record<string, string> }>;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Multi-document YAML for `ast-grep scan --rule`. */
export function astGrepRules(repo: string): string {
  const m = JSON.parse(readFileSync(path.join(repo, 'ssot.config.json'), 'utf8')) as ManifestLike;
  const docs: string[] = [];
  m.legacy.forEach((l, i) => {
    const segs = l.module.split('/');
    const isIndex = segs[segs.length - 1] === 'index';
    const tail = isIndex ? `${escape(segs[segs.length - 2] ?? '')}(/index)?` : escape(segs[segs.length - 1]!);
    docs.push(
      [
        `id: retarget-${i}`,
        'language: TypeScript',
        'rule:',
        '  kind: string_fragment',
        `  regex: ${JSON.stringify(`(^|/)${tail}(\\.js)?$`)}`,
        '  inside:',
        '    kind: string',
        '    inside:',
        '      any:',
        '        - kind: import_statement',
        '        - kind: export_statement',
        '        - kind: arguments',
        `fix: ${JSON.stringify(m.canonical.module)}`,
      ].join('\n'),
    );
  });
  const renames = new Map<string, string>();
  for (const l of m.legacy) for (const [from, to] of Object.entries(l.symbols)) if (from !== 'default' && from !== to && !renames.has(from)) renames.set(from, to);
  [...renames].forEach(([from, to], i) => {
    docs.push(
      [
        `id: rename-${i}`,
        'language: TypeScript',
        'rule:',
        '  any:',
        '    - kind: identifier',
        '    - kind: type_identifier',
        `  regex: ${JSON.stringify(`^${escape(from)}$`)}`,
        `fix: ${JSON.stringify(to)}`,
      ].join('\n'),
    );
  });
  return `${docs.join('\n---\n')}\n`;
}
