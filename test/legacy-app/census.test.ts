/**
 * Keeps the legacy app honest as a migration target: parses every source file with the
 * TypeScript compiler and checks that the import forms the codemods must handle are all
 * present, reach modules the manifest declares, and that the deliberate oddities (CRLF,
 * BOM, dangling names, an unparsable file, a colliding local name) are really there.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseManifest, type SsotManifest } from '../../manifest/index.js';

const APP = fileURLToPath(new URL('../../examples/legacy-app/', import.meta.url));
const BROKEN = 'src/legacy/broken_handler.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(c|m)?ts$/.test(name) ? [full] : [];
  });
}

/** Repo-relative module path (no extension) a specifier points at, or undefined for packages. */
function resolveSpecifier(fromFile: string, spec: string): string | undefined {
  let target: string;
  if (spec.startsWith('@app/')) target = posix.join('src', spec.slice('@app/'.length));
  else if (spec.startsWith('.')) target = posix.join(posix.dirname(fromFile), spec);
  else return undefined;
  return target.replace(/\.(js|ts|cjs|cts)$/, '');
}

type Form =
  | 'named' | 'aliased' | 'default' | 'namespace' | 'import type' | 'mixed type/value'
  | 'export { X } from' | 'export * from' | 'import x = require()' | 'require()' | 'dynamic import()'
  | 'inside a function' | 'paths alias' | '.js suffix' | 'index file' | 'comments attached';

interface Site {
  file: string;
  module: string;
  names: { imported: string; local: string }[];
  forms: Set<Form>;
}

function collectSites(file: string, text: string): Site[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const sites: Site[] = [];
  const add = (spec: string, node: ts.Node, forms: Form[], names: Site['names'] = []) => {
    const module = resolveSpecifier(file, spec);
    if (!module) return;
    const all = new Set<Form>(forms);
    if (spec.startsWith('@app/')) all.add('paths alias');
    if (spec.endsWith('.js')) all.add('.js suffix');
    if (/\/index(\.js)?$/.test(spec)) all.add('index file');
    if ((ts.getLeadingCommentRanges(text, node.getFullStart()) ?? []).length > 0 || /\/\/|\/\*/.test(node.getText(sf))) {
      all.add('comments attached');
    }
    let parent = node.parent;
    while (parent) {
      if (ts.isFunctionLike(parent)) all.add('inside a function');
      parent = parent.parent;
    }
    sites.push({ file, module, names, forms: all });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const forms: Form[] = [];
      const names: Site['names'] = [];
      const clause = node.importClause;
      if (clause?.isTypeOnly) forms.push('import type');
      if (clause?.name) {
        forms.push('default');
        names.push({ imported: 'default', local: clause.name.text });
      }
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) forms.push('namespace');
      if (bindings && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) {
          forms.push(el.propertyName ? 'aliased' : 'named');
          names.push({ imported: (el.propertyName ?? el.name).text, local: el.name.text });
        }
        const typeFlags = bindings.elements.map((el) => el.isTypeOnly);
        if (typeFlags.includes(true) && typeFlags.includes(false)) forms.push('mixed type/value');
      }
      add(node.moduleSpecifier.text, node, forms, names);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node, [node.exportClause ? 'export { X } from' : 'export * from']);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expr = node.moduleReference.expression;
      if (ts.isStringLiteral(expr)) add(expr.text, node, ['import x = require()']);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!)) {
      const spec = (node.arguments[0] as ts.StringLiteral).text;
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(spec, node, ['dynamic import()']);
      else if (ts.isIdentifier(node.expression) && node.expression.text === 'require') add(spec, node, ['require()']);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return sites;
}

let manifest: SsotManifest;
let legacyModules: Set<string>;
let sites: Site[];
let consumerFiles: Set<string>;

beforeAll(() => {
  manifest = parseManifest(readFileSync(join(APP, 'ssot.config.json'), 'utf8'));
  legacyModules = new Set([...manifest.legacy.map((l) => l.module), ...manifest.adapters.map((a) => a.module)]);
  sites = [];
  for (const full of sourceFiles(join(APP, 'src'))) {
    const file = relative(APP, full).split('\\').join('/');
    if (file === BROKEN) continue;
    sites.push(...collectSites(file, readFileSync(full, 'utf8')));
  }
  sites = sites.filter((s) => legacyModules.has(s.module));
  // Consumers: files that reach a legacy module and are not one themselves.
  consumerFiles = new Set(sites.map((s) => s.file).filter((f) => !legacyModules.has(f.replace(/\.c?ts$/, ''))));
});

describe('legacy-app census', () => {
  it('has at least 24 consumer files reaching legacy modules', () => {
    expect(consumerFiles.size).toBeGreaterThanOrEqual(24);
    for (const named of ['src/dependencies.ts', 'src/services/agent_websocket_bridge.ts', 'src/factories/websocket_bridge_factory.ts', 'src/agents/supervisor/agent_instance_factory.ts']) {
      expect(consumerFiles).toContain(named);
    }
  });

  it('uses every import form the codemods must handle, against a legacy module', () => {
    const seen = new Set<Form>(sites.flatMap((s) => [...s.forms]));
    const all: Form[] = ['named', 'aliased', 'default', 'namespace', 'import type', 'mixed type/value', 'export { X } from', 'export * from', 'import x = require()', 'require()', 'dynamic import()', 'inside a function', 'paths alias', '.js suffix', 'index file', 'comments attached'];
    expect(all.filter((f) => !seen.has(f))).toEqual([]);
  });

  it('consumers import only names the manifest maps, adapter classes, and the deliberate exceptions', () => {
    const adapterClasses = new Set(manifest.adapters.map((a) => `${a.module}#${a.class}`));
    const unmapped = sites.flatMap((s) => {
      const legacy = manifest.legacy.find((l) => l.module === s.module);
      if (!consumerFiles.has(s.file) || !legacy) return [];
      return s.names
        .filter((n) => !(n.imported in legacy.symbols) && !adapterClasses.has(`${s.module}#${n.imported}`))
        .map((n) => `${s.file}: ${n.imported} from ${s.module}`);
    });
    expect(unmapped.sort()).toEqual([
      // Dangling on purpose and not in the manifest: must stay as it is.
      'src/services/dangling_imports.ts: createWebSocketManagerSync from src/websocket_core/websocket_manager_factory',
    ]);
  });

  it('has dangling imports that tsc would reject without their directive', () => {
    const options: ts.CompilerOptions = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, strict: true, types: [] };
    const file = join(APP, 'src/services/dangling_imports.ts');
    const stripped = readFileSync(file, 'utf8').replace(/^\/\/ @ts-(expect-error|ignore).*$/gm, '');
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    host.readFile = (name) => (name === file ? stripped : readFile(name));
    const program = ts.createProgram([file], options, host);
    const messages = program.getSemanticDiagnostics(program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(messages.some((m) => m.includes('has no exported member') && m.includes('UnifiedWebSocketManager'))).toBe(true);
    expect(messages.some((m) => m.includes('createWebSocketManagerSync'))).toBe(true);
  });

  it('keeps a CRLF file, a BOM file, and one file that does not parse (excluded from tsc)', () => {
    const crlf = readFileSync(join(APP, 'src/handlers/legacy_handler_crlf.ts'), 'utf8');
    expect(crlf.split('\n').length).toBeGreaterThan(3);
    expect(crlf.split('\n').slice(0, -1).every((line) => line.endsWith('\r'))).toBe(true);
    expect(readFileSync(join(APP, 'src/handlers/bom_handler.ts')).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));

    const broken = ts.createSourceFile(BROKEN, readFileSync(join(APP, BROKEN), 'utf8'), ts.ScriptTarget.Latest);
    expect((broken as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length).toBeGreaterThan(0);
    const tsconfig = JSON.parse(readFileSync(join(APP, 'tsconfig.json'), 'utf8')) as { exclude: string[] };
    expect(tsconfig.exclude).toContain(BROKEN);
  });

  it('has a local binding that collides with a canonical name it would import', () => {
    const text = readFileSync(join(APP, 'src/services/local_collision.ts'), 'utf8');
    expect(text).toMatch(/^function createWebSocketManager\(/m);
    const site = sites.find((s) => s.file === 'src/services/local_collision.ts');
    const legacy = manifest.legacy.find((l) => l.module === site?.module);
    expect(site?.names.map((n) => legacy?.symbols[n.imported])).toContain(manifest.canonical.factory);
  });

  it('calls factory entries both with and without a UserExecutionContext in scope', () => {
    const calls = manifest.factory?.entries.map((e) => e.call.split('.').at(-1) ?? '') ?? [];
    const factoryCallers = [...consumerFiles].filter((f) => {
      const text = readFileSync(join(APP, f), 'utf8');
      return calls.some((c) => new RegExp(`\\b${c}\\(`).test(text));
    });
    const withContext = factoryCallers.filter((f) => readFileSync(join(APP, f), 'utf8').includes('UserExecutionContext'));
    const withoutContext = factoryCallers.filter((f) => !readFileSync(join(APP, f), 'utf8').includes('UserExecutionContext'));
    expect(withContext.length).toBeGreaterThanOrEqual(5);
    expect(withoutContext.length).toBeGreaterThanOrEqual(3);
  });
});

