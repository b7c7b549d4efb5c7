/**
 * Workspace packages by name (npm/yarn `workspaces`, pnpm-workspace.yaml) and the resolver's use
 * of them, on a real folder: a bare `@scope/pkg` import in one package resolves into another's
 * folder, as the package manager's node_modules link would, with nothing installed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { moduleIdOf } from './module-id.js';
import { ModuleResolver } from './resolve.js';
import { readResolverData } from './tsconfig.js';
import { pnpmPackages, workspacePackages } from './workspaces.js';
import { contextFrom } from './context.js';
import { processFile } from './process.js';
import { makeRuntime } from './transform.js';
import type { ResolverData } from './resolve.js';
import { withDefaults } from '../../test/helpers/fixture-manifest.js';
import { rewriteImportsTransform } from '../rewrite-imports/transform.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ssot-ws-'));
  dirs.push(dir);
  for (const [f, t] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), t);
  }
  return dir;
}

const sources = {
  'packages/ws/package.json': '{ "name": "@repo/ws", "private": true }',
  'packages/ws/src/index.ts': 'export const hub = 1;\n',
  'packages/ws/src/server.ts': "import { hub } from './index';\nexport const s = hub;\n",
  'packages/services/git/package.json': '{ "name": "@repo/services-git", "exports": { ".": { "types": "./lib/main.ts", "default": "./dist/main.js" } } }',
  'packages/services/git/lib/main.ts': "import { hub } from '@repo/ws';\nexport const g = hub;\n",
  'apps/web/package.json': '{ "name": "web" }',
  'apps/web/route.ts': "import { g } from '@repo/services-git';\nimport { s } from '@repo/ws/server';\nimport React from 'react';\nexport default [g, s, React];\n",
  'node_modules/@repo/ws/package.json': '{ "name": "not-a-workspace" }',
};
const resolverOf = (dir: string, files: Record<string, string>, tsconfig = 'tsconfig.json') =>
  new ModuleResolver(readResolverData(dir, tsconfig, [...new Set(Object.keys(files).filter((f) => f.endsWith('.ts')).map(moduleIdOf))]));

describe('workspace packages', () => {
  test('npm workspaces (globs, nested): each package.json under them by name, its entry when package.json names one that exists', () => {
    const dir = repo({ ...sources, 'package.json': '{ "workspaces": ["apps/*", "packages/*", "packages/services/*"] }' });
    expect(Object.fromEntries(workspacePackages(dir))).toEqual({
      '@repo/ws': { dir: 'packages/ws' },
      '@repo/services-git': { dir: 'packages/services/git', entry: 'packages/services/git/lib/main.ts' },
      web: { dir: 'apps/web' },
    });
  });

  test('a bare import of a workspace package resolves into its folder (entry, src/index; a subpath under it or src/); other bare names do not', () => {
    const files = { ...sources, 'package.json': '{ "workspaces": { "packages": ["apps/*", "packages/**"] } }' };
    const r = resolverOf(repo(files), files);
    expect(r.resolve('@repo/ws', 'packages/services/git/lib/main.ts')).toBe('packages/ws/src/index');
    expect(r.resolve('@repo/services-git', 'apps/web/route.ts')).toBe('packages/services/git/lib/main');
    expect(r.resolve('@repo/ws/server', 'apps/web/route.ts')).toBe('packages/ws/src/server');
    expect(r.resolve('@repo/ws/nothing', 'apps/web/route.ts')).toBeUndefined();
    expect(r.resolve('react', 'apps/web/route.ts')).toBeUndefined();
  });

  test('pnpm-workspace.yaml lists them the same way; with no workspaces a bare name stays unresolved', () => {
    const yaml = "packages:\n  - 'packages/*'   # libraries\n  - \"packages/services/*\"\n  - '!**/test/**'\ncatalog:\n  ws: ^8\n";
    expect(pnpmPackages(yaml)).toEqual(['packages/*', 'packages/services/*', '!**/test/**']);
    const files = { ...sources, 'package.json': '{ "name": "root" }', 'pnpm-workspace.yaml': yaml };
    expect(resolverOf(repo(files), files).resolve('@repo/ws', 'apps/web/route.ts')).toBe('packages/ws/src/index');
    const none = { ...sources, 'package.json': '{ "name": "root" }' };
    expect(resolverOf(repo(none), none).resolve('@repo/ws', 'apps/web/route.ts')).toBeUndefined();
  });

  test("the repo's tsconfig paths win over a workspace name (TypeScript tries paths first)", () => {
    const files = {
      ...sources,
      'package.json': '{ "workspaces": ["packages/*"] }',
      'shim/ws.ts': 'export const hub = 2;\n',
      'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@repo/ws": ["shim/ws"] } } }',
    };
    expect(resolverOf(repo(files), files).resolve('@repo/ws', 'apps/web/route.ts')).toBe('shim/ws');
  });
});

describe('a phase on an import by package name (rewrite-imports)', () => {
  // the legacy module is packages/ws/src/index (basename `src`): the importing file's text names
  // neither `src` nor `index`, only the package — the prefilter token has to be the package name
  const run = (data: Omit<ResolverData, 'knownModules'>) => {
    const ctx = contextFrom(
      withDefaults({
        canonical: { module: 'ssot-migrate/canonical', exports: ['WebSocketManager'], contextType: 'Ctx', factory: 'f' },
        legacy: [{ id: 'WSM001', module: 'packages/ws/src/index', symbols: { Hub: 'WebSocketManager' } }],
      }),
      { knownModules: ['packages/ws/src/index', 'packages/jobs/src/run'], ...data },
      () => undefined,
    );
    return { tokens: ctx.prefilterTokens, after: processFile('packages/jobs/src/run.ts', "import { Hub } from '@repo/ws';\nexport const h: Hub | undefined = undefined;\n", rewriteImportsTransform, makeRuntime(ctx)).after };
  };
  const rewritten = "import { WebSocketManager } from 'ssot-migrate/canonical';\nexport const h: WebSocketManager | undefined = undefined;\n";

  test('a workspace package name: resolved, a prefilter token, rewritten', () => {
    const r = run({ pathsBase: '.', paths: {}, workspaces: { '@repo/ws': { dir: 'packages/ws' } } });
    expect(r.tokens).toContain('@repo/ws');
    expect(r.after).toBe(rewritten);
  });

  test("a tsconfig wildcard alias (`@repo/*` → `packages/*/src`): its specifier for the module is a token too", () => {
    const r = run({ pathsBase: '.', paths: { '@repo/*': ['packages/*/src'] } });
    expect(r.tokens).toContain('@repo/ws');
    expect(r.after).toBe(rewritten);
  });

  test('neither: the import is not the legacy module (left alone)', () => {
    expect(run({ pathsBase: '.', paths: {} }).after).toBeUndefined();
  });
});
