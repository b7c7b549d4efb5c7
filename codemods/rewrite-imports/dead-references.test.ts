import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PublicApiSpec } from '../../manifest/types.js';
import { toCrlfBom } from '../../test/helpers/codemod-fixtures.js';
import { moduleIdOf } from '../engine/module-id.js';
import { ModuleResolver } from '../engine/resolve.js';
import { removeDeadReferences } from './dead-references.js';

const dir = fileURLToPath(new URL('./__testfixtures__/dead-references', import.meta.url));
const spec = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { legacy: string[]; publicApi: PublicApiSpec[]; modules: Record<string, string> };
const cases = readdirSync(dir).filter((f) => f.endsWith('.input.ts')).map((f) => f.replace(/\.input\.ts$/, '')).sort();
const fileOf = (c: string): string => `src/app/${c}.ts`;
const read = (c: string, kind: 'input' | 'output'): string => readFileSync(join(dir, `${c}.${kind}.ts`), 'utf8');

/** The whole virtual repo once: the modules plus every case file (as given by `text`). */
function run(text: (c: string) => string) {
  const files = new Map<string, string>([...Object.entries(spec.modules), ...cases.map((c) => [fileOf(c), text(c)] as const)]);
  const data = { knownModules: [...files.keys()].map(moduleIdOf), pathsBase: '.', paths: {} };
  const changes = removeDeadReferences({
    files: [...files.keys()],
    editable: (f) => !spec.legacy.includes(moduleIdOf(f)),
    read: (f) => files.get(f),
    resolver: new ModuleResolver(data),
    resolverData: data,
    legacy: new Set(spec.legacy),
    publicApi: spec.publicApi,
  });
  return new Map(changes.map((c) => [c.file, c]));
}

describe('dead references to legacy modules: unused re-exports and loads (rewrite-imports/dead-references.ts)', () => {
  it('has the cases: re-export from, local re-export, import left unused, public API, star-imported, unused loads, unused static imports, unparsable', () => {
    expect(cases).toEqual(['broken', 'local-only', 'local-reexport', 'public-api', 'reexport-from', 'star-imported', 'unused-import', 'unused-load']);
  });

  const once = run((c) => read(c, 'input'));
  for (const c of cases) {
    it(`${c}: produces the expected output`, () => {
      expect(once.get(fileOf(c))?.after ?? read(c, 'input')).toBe(read(c, 'output'));
    });
  }

  it('names what it removed', () => {
    expect(once.get(fileOf('reexport-from'))?.removed).toEqual(['Manager', 'ManagerStats', 'MAX_CONNECTIONS']);
    expect(once.get(fileOf('local-only'))?.removed).toEqual(['legacyGetManager', 'legacy']);
    expect(once.get(fileOf('unused-load'))).toMatchObject({ removed: [], loads: ['../legacy/manager.js', '../legacy/manager.js', '../legacy/manager.js'], imports: [] });
    // a shadowing local nothing reads does not keep the import; one that is read does (syntax-only scope)
    expect(once.get(fileOf('unused-import'))).toMatchObject({ removed: [], loads: [], imports: ['getManager from ../legacy/manager.js', 'ManagerStats from ../legacy/manager.js', 'legacyNs from ../legacy/manager.js'] });
  });

  it('changes nothing on a second run', () => {
    expect([...run((c) => read(c, 'output')).keys()]).toEqual([]);
  });

  it('keeps CRLF line endings and a BOM', () => {
    const crlf = run((c) => toCrlfBom(read(c, 'input')));
    for (const c of cases) expect(crlf.get(fileOf(c))?.after ?? toCrlfBom(read(c, 'input'))).toBe(toCrlfBom(read(c, 'output')));
  });

  it('keeps a re-export once a file imports it (the check could fail)', () => {
    spec.modules['src/app/late.ts'] = "import type { ManagerStats } from './reexport-from.js';\nexport type S = ManagerStats;\n";
    try {
      expect(run((c) => read(c, 'input')).get(fileOf('reexport-from'))?.removed).toEqual(['Manager', 'MAX_CONNECTIONS']);
    } finally {
      delete spec.modules['src/app/late.ts'];
    }
  });
});
