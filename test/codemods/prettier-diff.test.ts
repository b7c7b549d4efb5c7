/**
 * rewrite-imports on a generated repo formatted by Prettier (its own .prettierrc, 80 columns):
 * the rewrite must read like a hand edit. After it, `prettier --check` passes on every changed
 * file, the lines it changes are exactly the lines holding the legacy specifier or a renamed
 * legacy name (the minimal diff), plus only the lines Prettier itself needs where an import
 * outgrows the width; no multi-line import becomes single-line; no new line is wider than the
 * file's widest import line.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffLines } from 'diff';
import * as prettier from 'prettier';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTransform } from '../../codemods/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const prettierBin = join(root, 'node_modules/prettier/bin/prettier.cjs');
const LEGACY_SPEC = "'../legacy/socket-manager'";
const RENAMED = ['SocketManager', 'SocketManagerMode', 'getSocketManager'];
const RENAMED_RE = new RegExp(`\\b(${RENAMED.join('|')})\\b`);
const CONSUMERS = 120;

const LEGACY_MODULE = `export interface SocketEvent {
  type: string;
}
export interface SocketStats {
  open: number;
}
export class SocketManager {
  send(_e: SocketEvent): void {}
}
export enum SocketManagerMode {
  Shared = 'shared',
  Scoped = 'scoped',
}
export function getSocketManager(): SocketManager {
  return new SocketManager();
}
export function connectSocket(): void {}
export const SOCKET_DEFAULTS = { retries: 3 };
`;

const HELPERS = `export const formatLabel = (s: string): string => s.trim();
export const parseIdentifier = (s: string): number => Number(s);
export const normalizeWhitespace = (s: string): string => s.replace(/\\s+/g, ' ');
`;

/** One consumer file (before Prettier), by shape; every shape is something Prettier keeps as is. */
function consumer(i: number): string {
  const shape = i % 8;
  switch (shape) {
    case 0: // multi-line import past the width, renamed and unchanged names mixed
      return `import { SocketManager, SocketManagerMode, getSocketManager, SocketEvent, SocketStats, connectSocket } from ${LEGACY_SPEC};

export function start${i}(e: SocketEvent): SocketStats {
  const m: SocketManager = getSocketManager();
  m.send(e);
  connectSocket();
  return { open: SocketManagerMode.Shared.length };
}
`;
    case 1: // single-line import that stays within the width
      return `import { SocketManager } from ${LEGACY_SPEC};

export const manager${i} = new SocketManager();
`;
    case 2: // comments per specifier, trailing commas, next to another multi-line import
      return `import {
  formatLabel,
  parseIdentifier,
  normalizeWhitespace,
} from '../lib/helpers';
import {
  // the manager class
  SocketManager, // why we need SocketManager
  SocketManagerMode, // the mode enum
  SOCKET_DEFAULTS,
  type SocketEvent,
} from ${LEGACY_SPEC};

export function label${i}(e: SocketEvent): string {
  const m = new SocketManager();
  void m;
  return formatLabel(SocketManagerMode.Scoped) + SOCKET_DEFAULTS.retries;
}
export const id${i} = parseIdentifier(normalizeWhitespace(' 1 '));
`;
    case 3: // aliases: only the imported names change
      return `import { SocketManager as Manager, getSocketManager as makeManager } from ${LEGACY_SPEC};

export const make${i} = (): Manager => makeManager();
`;
    case 4: // type-only import
      return `import type { SocketManager, SocketManagerMode, SocketEvent, SocketStats } from ${LEGACY_SPEC};

export type Pair${i} = [SocketManager, SocketManagerMode];
export type Info${i} = SocketEvent | SocketStats;
`;
    case 5: // a re-export keeps the public names
      return `export { SocketManager, getSocketManager, SocketEvent, SocketStats, connectSocket } from ${LEGACY_SPEC};
`;
    case 6: // a single-line import that outgrows the width once renamed (Prettier breaks it)
      return i % 24 === 6
        ? `import { getSocketManager, SocketManager as M } from ${LEGACY_SPEC};

export const pair${i} = [getSocketManager, M];
`
        : `import { getSocketManager } from ${LEGACY_SPEC};

export const lazy${i} = () => getSocketManager();
`;
    default: // namespace-free plain use in several places
      return `import { SocketManagerMode, SocketManager } from ${LEGACY_SPEC};

export function pick${i}(shared: boolean): SocketManagerMode {
  return shared ? SocketManagerMode.Shared : SocketManagerMode.Scoped;
}
export const all${i}: SocketManager[] = [];
`;
  }
}

function sh(cmd: string, args: string[], cwd: string): { status: number; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** Import/export-from statements of a file, with whether each spans several lines. */
function importStatements(file: string, text: string): Array<{ multiline: boolean; width: number }> {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  return sf.statements
    .filter((s) => ts.isImportDeclaration(s) || (ts.isExportDeclaration(s) && s.moduleSpecifier !== undefined))
    .map((s) => {
      const body = text.slice(s.getStart(sf), s.end);
      return { multiline: body.includes('\n'), width: Math.max(...body.split('\n').map((l) => l.length)) };
    });
}

describe('rewrite-imports on a Prettier-formatted repo', () => {
  let repo = '';
  const before = new Map<string, string>();

  beforeAll(async () => {
    repo = mkdtempSync(join(tmpdir(), 'ssot-prettier-'));
    const write = (rel: string, text: string): void => {
      mkdirSync(dirname(join(repo, rel)), { recursive: true });
      writeFileSync(join(repo, rel), text);
    };
    const prettierrc = { singleQuote: true };
    write('.prettierrc', `${JSON.stringify(prettierrc, null, 2)}\n`);
    write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, module: 'esnext', moduleResolution: 'bundler', noEmit: true }, include: ['src'] }, null, 2));
    write(
      'ssot.config.json',
      JSON.stringify({
        canonical: {
          module: '@acme/realtime-sockets',
          exports: ['RealtimeManager', 'RealtimeMode', 'createRealtimeManager', 'SocketEvent', 'SocketStats', 'connectSocket', 'SOCKET_DEFAULTS'],
          contextType: 'RequestScope',
          factory: 'createRealtimeManager',
        },
        legacy: [
          {
            id: 'SOCK001',
            module: 'src/legacy/socket-manager',
            symbols: {
              SocketManager: 'RealtimeManager',
              SocketManagerMode: 'RealtimeMode',
              getSocketManager: 'createRealtimeManager',
              SocketEvent: 'SocketEvent',
              SocketStats: 'SocketStats',
              connectSocket: 'connectSocket',
              SOCKET_DEFAULTS: 'SOCKET_DEFAULTS',
            },
          },
        ],
        adapters: [],
        duplicateTypes: [],
        verify: { typecheck: 'true', test: 'true' },
      }),
    );
    // the canonical package, installed: the rewrite's type guard checks every changed file against it
    write('node_modules/@acme/realtime-sockets/package.json', JSON.stringify({ name: '@acme/realtime-sockets', version: '1.0.0', types: 'index.d.ts' }));
    write(
      'node_modules/@acme/realtime-sockets/index.d.ts',
      LEGACY_MODULE.replace(/SocketManagerMode/g, 'RealtimeMode').replace(/getSocketManager/g, 'createRealtimeManager').replace(/SocketManager/g, 'RealtimeManager').replace(/export (class|enum|function|const) /g, 'export declare $1 ').replace(/\{\n(\s+return [^\n]*\n)\}/g, ';').replace(/ \{\}/g, ';').replace(/= \{ retries: 3 \}/, ': { retries: number }'),
    );
    write('.gitignore', 'node_modules\n');
    write('src/legacy/socket-manager.ts', await prettier.format(LEGACY_MODULE, { parser: 'typescript', ...prettierrc }));
    write('src/lib/helpers.ts', await prettier.format(HELPERS, { parser: 'typescript', ...prettierrc }));
    for (let i = 0; i < CONSUMERS; i++) {
      const rel = `src/feature${i % 10}/view${i}.ts`;
      const text = await prettier.format(consumer(i), { parser: 'typescript', ...prettierrc });
      write(rel, text);
      before.set(rel, text);
    }
    const check = sh(process.execPath, [prettierBin, '--check', 'src'], repo);
    expect(check.status, check.out).toBe(0);
    sh('git', ['init', '-q'], repo);
    sh('git', ['add', '-A'], repo);
    sh('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'generated'], repo);
  }, 120_000);
  afterAll(() => {
    if (repo && !process.env['KEEP_REPO']) rmSync(repo, { recursive: true, force: true });
    else console.log(repo);
  });

  it('changes only the specifier and renamed-name lines, keeps layouts, and passes prettier --check', async () => {
    const report = await runTransform('rewrite-imports', repo, { options: { workers: 0 } });
    const changed = report.files.filter((f) => f.status === 'changed').map((f) => f.file);
    expect(report.summary.failed).toBe(0);
    expect(changed.sort()).toEqual([...before.keys()].sort());

    const check = sh(process.execPath, [prettierBin, '--check', ...changed], repo);
    expect(check.status, check.out).toBe(0);

    let minimal = 0;
    let removed = 0;
    let added = 0;
    let broken = 0;
    for (const file of changed) {
      const a = before.get(file)!;
      const b = readFileSync(join(repo, file), 'utf8');
      // the minimal edit: the lines holding the legacy specifier or a renamed legacy name
      const minimalLines = a.split('\n').filter((l) => l.includes(LEGACY_SPEC) || RENAMED_RE.test(l));
      minimal += minimalLines.length;
      const removedLines: string[] = [];
      const addedLines: string[] = [];
      for (const part of diffLines(a, b)) {
        const lines = part.value.replace(/\n$/, '').split('\n');
        if (part.removed) removedLines.push(...lines);
        if (part.added) addedLines.push(...lines);
      }
      // exactly the minimal lines are touched, nothing else
      expect(removedLines, file).toEqual(minimalLines);
      removed += removedLines.length;
      added += addedLines.length;
      const importsBefore = importStatements(file, a);
      const importsAfter = importStatements(file, b);
      // no multi-line import becomes single-line
      expect(importsAfter.filter((s) => s.multiline).length, file).toBeGreaterThanOrEqual(importsBefore.filter((s) => s.multiline).length);
      broken += importsAfter.filter((s) => s.multiline).length - importsBefore.filter((s) => s.multiline).length;
      // no new line is wider than the file's widest import line (or the 80-column width)
      const widest = Math.max(80, ...importsBefore.map((s) => s.width));
      for (const l of addedLines) expect(l.length, `${file}: ${l}`).toBeLessThanOrEqual(widest);
    }
    // the one-line imports that outgrow 80 columns once renamed are broken, as Prettier would
    expect(broken).toBe(CONSUMERS / 24);
    const ratio = (removed + added) / (2 * minimal);
    console.log(`prettier repo: ${changed.length} files, minimal diff ${2 * minimal} changed lines, rewrite ${removed + added} (${ratio.toFixed(3)}x; ${broken} imports broken past the width)`);
    expect(removed).toBe(minimal);
    // each broken import: its one line becomes `import {`, two entries, `} from …;`
    expect(added).toBe(minimal + 3 * broken);
    expect(ratio).toBeLessThanOrEqual(1.02);
  }, 120_000);

  it('is idempotent: a second run changes nothing', async () => {
    const report = await runTransform('rewrite-imports', repo, { options: { workers: 0 } });
    expect(report.summary.changed).toBe(0);
  }, 120_000);
});
