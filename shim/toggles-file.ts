/**
 * The toggles file: `{ "version": 1, "modes": { "WSM001": "legacy", "*": "canonical" } }`.
 * Written atomically (temp file in the same directory, then rename) so a watcher never reads
 * half a file, and readers refuse anything malformed with an error naming the problem.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ShimConfigError } from './errors.js';
import type { ShimMode } from './modes.js';
import { WILDCARD, assertModeId, assertShimMode } from './modes.js';

/** Where the CLI writes and the runtime watches unless told otherwise (relative to cwd). */
export const DEFAULT_TOGGLES_FILE = '.ssot/shim-toggles.json';

export function defaultTogglesPath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.SSOT_SHIM_TOGGLES || DEFAULT_TOGGLES_FILE);
}

export interface TogglesDocument {
  version: 1;
  modes: Record<string, ShimMode>;
  updatedAt?: string;
}

export function parseTogglesText(text: string, path: string): Map<string, ShimMode> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new ShimConfigError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new ShimConfigError(`${path}: expected an object like {"version":1,"modes":{"WSM001":"legacy"}}`);
  }
  const { version, modes } = doc as { version?: unknown; modes?: unknown };
  if (version !== undefined && version !== 1) throw new ShimConfigError(`${path}: unsupported version ${JSON.stringify(version)}`);
  if (typeof modes !== 'object' || modes === null || Array.isArray(modes)) {
    throw new ShimConfigError(`${path}: "modes" must be an object of id -> mode`);
  }
  const out = new Map<string, ShimMode>();
  for (const [id, mode] of Object.entries(modes)) {
    out.set(assertModeId(id, path), assertShimMode(mode, `${path} (${id})`));
  }
  return out;
}

export async function readTogglesFile(path: string): Promise<Map<string, ShimMode>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  return parseTogglesText(text, path);
}

export async function writeTogglesFile(path: string, modes: ReadonlyMap<string, ShimMode>): Promise<void> {
  const doc: TogglesDocument = {
    version: 1,
    modes: Object.fromEntries([...modes].sort(([a], [b]) => (a === WILDCARD ? 1 : b === WILDCARD ? -1 : a.localeCompare(b)))),
    updatedAt: new Date().toISOString(),
  };
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, JSON.stringify(doc, null, 2) + '\n');
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export interface ToggleResult {
  path: string;
  id: string;
  from: ShimMode | undefined;
  to: ShimMode;
  /** Per-id overrides dropped because `*` was toggled (the file then says one thing for all). */
  cleared: Array<[string, ShimMode]>;
}

/**
 * Sets one id (or `*`) in the toggles file. Toggling `*` drops per-id entries so "everything to
 * legacy" really means everything. A malformed existing file is refused, not overwritten.
 */
export async function setToggle(path: string, id: string, mode: ShimMode): Promise<ToggleResult> {
  assertModeId(id, 'toggle');
  assertShimMode(mode, 'toggle');
  const modes = await readTogglesFile(path);
  const from = modes.get(id);
  const cleared: Array<[string, ShimMode]> = [];
  if (id === WILDCARD) {
    for (const [other, m] of modes) if (other !== WILDCARD) cleared.push([other, m]);
    for (const [other] of cleared) modes.delete(other);
  }
  modes.set(id, mode);
  await writeTogglesFile(path, modes);
  return { path, id, from, to: mode, cleared };
}
