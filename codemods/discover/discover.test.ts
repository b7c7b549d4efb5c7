import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFixtures } from '../../test/helpers/codemod-fixtures.js';
import { parseSource } from '../engine/parse.js';
import { prefilter } from '../engine/transform.js';
import type { FileReport } from '../engine/types.js';
import { buildInventory, duplicateCounts, duplicatePhrase, inventoryJson, inventoryMarkdown } from './inventory.js';
import { discoverTransform, scanFile, type DiscoverFileData } from './scan.js';

// the rewrite-imports fixtures double as discover inputs: inputs reach legacy modules, outputs the canonical one
const { cases, ctx, rt } = loadFixtures(fileURLToPath(new URL('../rewrite-imports/__testfixtures__', import.meta.url)));
const byName = new Map(cases.map((c) => [c.name, c]));
const scan = (name: string, which: 'input' | 'output'): DiscoverFileData => {
  const c = byName.get(name)!;
  const text = which === 'input' ? c.input : c.output!;
  return scanFile(c.file, text, parseSource(c.file, text).sf, rt);
};
const inventoryOf = (which: 'input' | 'output', names = cases.filter((c) => c.name !== 'parse-error').map((c) => c.name)) =>
  buildInventory(
    ctx,
    names.map((n) => ({ report: { file: byName.get(n)!.file, status: 'unchanged', problems: [] } as FileReport, data: scan(n, which) })),
    names.length,
    names.length,
  );

describe('discover scan', () => {
  it('records each import form with its target, line and compliance', () => {
    const before = scan('named', 'input').sites;
    expect(before).toEqual([expect.objectContaining({ form: 'named', target: 'WSM001', name: 'UnifiedWebSocketManager', line: 1, compliant: false })]);
    const after = scan('named', 'output').sites;
    expect(after).toEqual([expect.objectContaining({ form: 'named', target: 'canonical', name: 'WebSocketManager', compliant: true })]);
  });

  it('sees require, dynamic import, import-equals, namespace, type-only and mixed forms', () => {
    const forms = (n: string) => scan(n, 'input').sites.map((s) => s.form);
    expect(forms('dynamic-import')).toEqual(['dynamic-import', 'dynamic-import', 'dynamic-import', 'dynamic-import']);
    expect(scan('dynamic-import', 'input').sites.every((s) => s.insideFunction)).toBe(true);
    expect(forms('require')).toEqual(['require', 'require', 'require']);
    expect(forms('import-equals')).toEqual(['import-equals']);
    expect(forms('namespace')).toEqual(['namespace']);
    expect(forms('import-type')).toEqual(['type-only', 'type-only']);
    expect(forms('mixed-type')).toEqual(['mixed-type', 'mixed-type']);
    expect(forms('export-star')).toEqual(['export-star']);
    expect(forms('reexport-named')).toEqual(['export-named', 'export-named', 'export-named', 'export-named']);
  });

  it('reports a load the phases leave (legacy-use/left-loads.ts) of a module remove-adapters works in: a conditional require(), one passed as an argument, a held module object handed on', () => {
    const sites = scan('cjs-conditional-instance', 'input').sites;
    expect(sites.filter((s) => s.left !== undefined).map((s) => [s.line, s.left])).toEqual([
      [5, 'a conditional require()'],
      [12, 'require() passed as an argument'],
      [15, 'require() held in held and used as a value'],
    ]);
    // a held module object read only as `m.member` is followed like an import: not listed
    const bound = "const ws = require('../legacy/ws-instance');\nws.sendToUser('u', 'x', {});\n";
    expect(scanFile('src/app/bound.js', bound, parseSource('src/app/bound.js', bound).sf, rt).sites.map((s) => s.left)).toEqual([undefined]);
    const md = inventoryMarkdown(inventoryOf('input', ['cjs-conditional-instance']));
    expect(md).toContain('## Loads the phases leave (3):');
    expect(md).toMatch(/- `[^`]*cjs-conditional-instance[^`]*:5`: a conditional require\(\) of `\.\.\/legacy\/ws-instance` \(\w+\)/);
    // the canonical side of the fixture (rewrite-imports' output keeps both loads, deferred): still listed, nothing else is
    expect(scan('cjs-conditional-instance', 'output').sites.filter((s) => s.left !== undefined)).toHaveLength(3);
  });

  it('flags dangling names (not exported by the module they are imported from)', () => {
    const sites = scan('partial-unmapped', 'input').sites;
    expect(sites.find((s) => s.name === 'NoSuchThing')?.dangling).toBe(true);
    expect(sites.find((s) => s.name === 'UnifiedWebSocketManager')?.dangling).toBe(false);
    expect(scan('missing-export', 'output').sites[0]).toMatchObject({ target: 'canonical', dangling: true, compliant: false });
  });

  it('lists declarations by what the manifest says, not by a name pattern: elsewhere, names the manifest names (as suggestions)', () => {
    const text = 'export enum WebSocketManagerMode { A }\nclass UnifiedWebSocketManager {}\ninterface EventNotifier {}\ntype Other = 1;\nclass ConnectionManager {}\n';
    const data = scanFile('src/x.ts', text, parseSource('src/x.ts', text).sf, rt);
    // EventNotifier and ConnectionManager match the old Manager|Notifier pattern but the manifest names neither
    expect(data.declarations.map((d) => [d.name, d.kind, d.line, d.suggestion])).toEqual([
      ['WebSocketManagerMode', 'enum', 1, true],
      ['UnifiedWebSocketManager', 'class', 2, true],
    ]);
    const inv = buildInventory(ctx, [{ report: { file: 'src/x.ts', status: 'unchanged', problems: [] }, data }], 1, 1);
    expect(inv.declarations.map((d) => d.duplicateOf)).toEqual(['WebSocketManagerMode', 'WebSocketManager']);
  });

  it('lists every top-level declaration of a legacy module, whatever its name', () => {
    const legacyFile = `${ctx.legacy[0]!.moduleId}.ts`;
    const text = 'export class Hub {}\nexport function shared(): Hub { function inner() {} inner(); return new Hub(); }\nexport type Frame = { type: string };\n';
    const data = scanFile(legacyFile, text, parseSource(legacyFile, text).sf, rt);
    expect(data.declarations.map((d) => [d.name, d.kind, d.suggestion])).toEqual([
      ['Hub', 'class', undefined],
      ['shared', 'function', undefined],
      ['Frame', 'type', undefined],
    ]);
  });

  it('counts a declaration once per file: overloads and declaration merges are one symbol', () => {
    const legacyFile = `${ctx.legacy[0]!.moduleId}.ts`;
    const text = [
      'export function getWebSocketManager(): Hub;',
      'export function getWebSocketManager(id: string): Hub;',
      'export function getWebSocketManager(id?: string): Hub { void id; return new Hub(); }',
      'export interface Hub { a: number }',
      'export interface Hub { b: number }',
      'export class Hub { a = 1; b = 2 }',
      '',
    ].join('\n');
    const data = scanFile(legacyFile, text, parseSource(legacyFile, text).sf, rt);
    expect(data.declarations.map((d) => [d.name, d.kind, d.line])).toEqual([
      ['getWebSocketManager', 'function', 1],
      ['Hub', 'interface', 4],
    ]);
  });

  it('counts the duplicates of legacy modules apart from same-name candidates elsewhere', () => {
    const legacyFile = `${ctx.legacy[0]!.moduleId}.ts`;
    const legacyText = 'export enum WebSocketManagerMode { A }\nexport class UnifiedWebSocketManager {}\n';
    // a local helper that only shares the canonical factory's name
    const otherText = 'function createWebSocketManager(label: string) { return { label }; }\nexport const x = createWebSocketManager("a");\n';
    const inv = buildInventory(
      ctx,
      [
        { report: { file: legacyFile, status: 'unchanged', problems: [] }, data: scanFile(legacyFile, legacyText, parseSource(legacyFile, legacyText).sf, rt) },
        { report: { file: 'src/y.ts', status: 'unchanged', problems: [] }, data: scanFile('src/y.ts', otherText, parseSource('src/y.ts', otherText).sf, rt) },
      ],
      2,
      2,
    );
    expect(inv.declarations.map((d) => [d.name, d.duplicateOf, d.suggestion])).toEqual([
      ['WebSocketManagerMode', 'WebSocketManagerMode', undefined],
      ['UnifiedWebSocketManager', 'WebSocketManager', undefined],
      ['createWebSocketManager', 'createWebSocketManager', true],
    ]);
    expect(duplicateCounts(inv)).toEqual({ legacy: 2, candidates: 1 });
    expect(duplicatePhrase(inv)).toBe('2 duplicate declaration(s) (+1 elsewhere sharing a canonical name, to check)');
    expect(inventoryMarkdown(inv)).toContain('| createWebSocketManager | function | src/y.ts:1 | createWebSocketManager? (same name, outside legacy modules) |');
  });

  it('prefilters out files that mention nothing relevant', () => {
    expect(prefilter(discoverTransform, "import { x } from './y.js';\n", rt)).toBe(false);
    expect(prefilter(discoverTransform, 'class FooAdapter {}', rt)).toBe(false); // a name pattern decides nothing
    expect(prefilter(discoverTransform, 'class UnifiedWebSocketManager {}', rt)).toBe(true);
  });
});

describe('inventory', () => {
  it('compliance rises from the inputs to the rewritten outputs', () => {
    const before = inventoryOf('input');
    const after = inventoryOf('output');
    expect(before.compliance.total).toBeGreaterThan(50);
    expect(after.compliance.percent).toBeGreaterThan(before.compliance.percent);
    expect(after.compliance.percent).toBeLessThan(100); // unmapped, deferred and needs-review sites remain
    expect(inventoryOf('output', ['named', 'aliased', 'namespace']).compliance).toEqual({ compliant: 4, total: 4, percent: 100 });
  });

  it('counts forms and distinct forms, and renders Markdown', () => {
    const inv = inventoryOf('input');
    const total = inv.forms.reduce((n, f) => n + f.count, 0);
    expect(total).toBe(inv.importSites.length);
    expect(inv.distinctForms.reduce((n, f) => n + f.count, 0)).toBe(inv.importSites.length);
    const md = inventoryMarkdown(inv);
    expect(md).toContain(`**SSOT compliance: ${inv.compliance.percent}%**`);
    expect(md).toContain('| dynamic-import |');
  });

  it('stays linear when every file declares the same name: the files are listed once per name, not per declaration', () => {
    // a 20,000-file repo where each file declares the factory made 472 MiB of per-declaration
    // `alsoDeclaredIn` lists, and JSON.stringify of it threw RangeError: Invalid string length
    const text = 'export function createWebSocketManager() { return 1; }\n';
    const n = 400;
    const perFile = Array.from({ length: n }, (_, i) => {
      const file = `src/f${i}.ts`;
      return { report: { file, status: 'unchanged', problems: [] } as FileReport, data: scanFile(file, text, parseSource(file, text).sf, rt) };
    });
    const inv = buildInventory(ctx, perFile, n, n);
    expect(inv.declarations).toHaveLength(n);
    expect(inv.declaredIn).toEqual([{ name: 'createWebSocketManager', files: perFile.map((f) => f.report.file) }]);
    const json = inventoryJson(inv);
    // quadratic (n lists of n-1 paths, ~3.5 MB here) vs linear (~100 bytes per declaration)
    expect(json.length).toBeLessThan(200 * n);
    const parsed = JSON.parse(json.toString('utf8')) as typeof inv;
    expect(parsed).toEqual(JSON.parse(JSON.stringify(inv)));
    // one line per declaration record
    expect(json.toString('utf8')).toContain('\n    {"name":"createWebSocketManager","file":"src/f0.ts","line":1,"kind":"function","suggestion":true,"duplicateOf":"createWebSocketManager"},\n');
  });
});
