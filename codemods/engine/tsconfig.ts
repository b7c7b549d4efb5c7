import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ts from './ts-api.js';
import type { ResolverData } from './resolve.js';
import { workspacePackages } from './workspaces.js';

export class TsconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TsconfigError';
  }
}

const toPosix = (p: string): string => p.split(sep).join('/');

/**
 * Read the repo's tsconfig once (through the TypeScript API, so `extends` and comments work)
 * and keep only what specifier resolution needs, repo-relative — with the monorepo's workspace
 * packages by name (engine/workspaces.ts).
 */
export function readResolverData(repoDir: string, tsconfig: string, knownModules: string[]): ResolverData {
  const path = join(repoDir, tsconfig);
  const packages = workspacePackages(repoDir);
  const withWorkspaces = (d: ResolverData): ResolverData => (packages.size > 0 ? { ...d, workspaces: Object.fromEntries(packages) } : d);
  if (!existsSync(path)) return withWorkspaces({ knownModules, pathsBase: '', paths: {} });
  const read = ts.readConfigFile(path, ts.sys.readFile);
  if (read.error) throw new TsconfigError(`${tsconfig}: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}`);
  // Only the options are needed: a host that lists no directories stops TypeScript from
  // globbing the whole repo for the config's file list (~0.25 s on 20,000 files).
  const host: ts.ParseConfigHost = { ...ts.sys, readDirectory: () => [] };
  const parsed = ts.parseJsonConfigFileContent(read.config, host, dirname(path), undefined, path);
  const opts = parsed.options as ts.CompilerOptions & { pathsBasePath?: string };
  const rel = (abs: string): string => toPosix(relative(repoDir, abs)) || '.';
  const data: ResolverData = {
    knownModules,
    pathsBase: rel(opts.baseUrl ?? opts.pathsBasePath ?? dirname(path)),
    paths: (opts.paths as Record<string, string[]> | undefined) ?? {},
  };
  if (opts.baseUrl !== undefined) data.baseUrl = rel(opts.baseUrl);
  return withWorkspaces(data);
}
