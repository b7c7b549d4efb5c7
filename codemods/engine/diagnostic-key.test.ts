/**
 * The key the type guard matches a diagnostic by, on diagnostics of real programs: a package linked
 * into node_modules is named by its link (`preserveSymlinks`) or by its target, and the hint under
 * a TS7016 depends on whether the program holds `@types/<name>` — the same error either way; an
 * error for another module is not.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFiles } from '../../test/helpers/git-repo.js';
import { diagnosticKey } from './diagnostic-key.js';
import ts from './ts-api.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function linkedRepo(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ssot-diagkey-'));
  dirs.push(root);
  writeFiles(root, {
    'store/ws/package.json': JSON.stringify({ name: 'ws', version: '8.0.0', main: 'index.js' }),
    'store/ws/index.js': 'exports.WebSocketServer = class {};\n',
    'store/other/package.json': JSON.stringify({ name: 'other', version: '1.0.0', main: 'index.js' }),
    'store/other/index.js': 'module.exports = 1;\n',
    // a package linked from another install that carries @types/ws (as the canonical package is): importing it brings @types/ws into a program
    'store/canon/package.json': JSON.stringify({ name: 'canon', version: '1.0.0', types: 'index.d.ts' }),
    'store/canon/index.d.ts': "import type { WebSocket } from 'ws';\nexport type W = WebSocket;\n",
    'store/node_modules/@types/ws/package.json': JSON.stringify({ name: '@types/ws', version: '8.0.0', types: 'index.d.ts' }),
    'store/node_modules/@types/ws/index.d.ts': 'export declare class WebSocket {}\n',
    'repo/src/a.ts': "import { WebSocketServer } from 'ws';\nexport const s: unknown = WebSocketServer;\n",
    'repo/src/b.ts': "import other from 'other';\nexport const o: unknown = other;\n",
    'repo/src/typed.ts': "import type { W } from 'canon';\nexport type T = W;\n",
    'repo/node_modules/.keep': '',
  });
  symlinkSync(path.join(root, 'store/ws'), path.join(root, 'repo/node_modules/ws'), 'dir');
  symlinkSync(path.join(root, 'store/other'), path.join(root, 'repo/node_modules/other'), 'dir');
  symlinkSync(path.join(root, 'store/canon'), path.join(root, 'repo/node_modules/canon'), 'dir');
  return path.join(root, 'repo');
}

function diagnosticsOf(repo: string, files: string[], preserveSymlinks: boolean): ts.Diagnostic[] {
  const options: ts.CompilerOptions = { strict: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, noEmit: true, types: [], preserveSymlinks };
  const program = ts.createProgram(files.map((f) => path.join(repo, f)), options);
  return files.flatMap((f) => [...program.getSemanticDiagnostics(program.getSourceFile(path.join(repo, f)))]);
}

describe('diagnosticKey', () => {
  it('is one key for a TS7016 whatever spelling of the linked package path and whatever hint the program picks', () => {
    const repo = linkedRepo();
    const [viaLink] = diagnosticsOf(repo, ['src/a.ts'], true);
    const [viaTarget] = diagnosticsOf(repo, ['src/a.ts', 'src/typed.ts'], false);
    const flat = (d: ts.Diagnostic) => ts.flattenDiagnosticMessageText(d.messageText, '\n');
    // the premise: two spellings, two hints
    expect(flat(viaLink!)).toContain(path.join(repo, 'node_modules/ws/index.js'));
    expect(flat(viaTarget!)).not.toContain(path.join(repo, 'node_modules/ws/index.js'));
    expect(flat(viaLink!)).toContain('Try `npm i --save-dev @types/ws`');
    expect(flat(viaTarget!)).toContain("If the 'ws' package actually exposes this module");
    expect(viaLink!.code).toBe(7016);
    expect(diagnosticKey(viaLink!)).toBe(diagnosticKey(viaTarget!));
  });

  it('keeps apart the same error for another module, and the case of a path where the host is case-sensitive', () => {
    const repo = linkedRepo();
    const [ws] = diagnosticsOf(repo, ['src/a.ts'], false);
    const [other] = diagnosticsOf(repo, ['src/b.ts'], false);
    expect(other!.code).toBe(7016);
    expect(diagnosticKey(other!)).not.toBe(diagnosticKey(ws!));
    // where file names are case-insensitive the host's canonical form is lower case: paths differing in case are one
    const spelled = (p: string) => ({ code: 7016, messageText: `Could not find a declaration file for module 'ws'. '${path.join(repo, p)}' implicitly has an 'any' type.` });
    expect(diagnosticKey(spelled('Missing/WS/index.js'))).not.toBe(diagnosticKey(spelled('missing/ws/index.js')));
    expect(diagnosticKey(spelled('Missing/WS/index.js'), (f) => f.toLowerCase())).toBe(diagnosticKey(spelled('missing/ws/index.js'), (f) => f.toLowerCase()));
  });
});
