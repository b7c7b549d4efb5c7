/**
 * The toggles file: `{ "version": 1, "modes": { "WSM001": "legacy", "*": "canonical" } }`.
 * Written atomically (temp file in the same directory, then rename) so a watcher never reads
 * half a file, and readers refuse anything malformed with an error naming the problem.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ShimConfigError } from './errors.js';
import type { ShimMode } from './modes.js';
import { WILDCARD, assertModeId, assertShimMode } from './modes.js';

/**
 * The largest toggles file read (1 MiB — a few thousand ids). A bigger one is refused unread, so a
 * runaway or hostile file never costs a watching process more memory than this.
 */
export const MAX_TOGGLES_FILE_BYTES = 1024 * 1024;

const tooLarge = (path: string, size: number | string) =>
  new ShimConfigError(`${path}: ${size} bytes, over the ${MAX_TOGGLES_FILE_BYTES}-byte limit of a toggles file`);

/** A file that grew while read: room for the rest, never beyond the limit plus one byte. */
function grown(buf: Buffer): Buffer {
  const next = Buffer.allocUnsafe(Math.min(buf.length * 2, MAX_TOGGLES_FILE_BYTES + 1));
  buf.copy(next);
  return next;
}

/**
 * The file's text, read without ever holding more than MAX_TOGGLES_FILE_BYTES + 1 bytes (a file
 * that grows while it is read is refused too); undefined if it does not exist.
 */
export function readTogglesTextSync(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { size } = fstatSync(fd);
    if (size > MAX_TOGGLES_FILE_BYTES) throw tooLarge(path, size);
    let buf: Buffer = Buffer.allocUnsafe(size + 1); // one spare byte: a file that grew shows as a full buffer
    let total = 0;
    for (;;) {
      const n = readSync(fd, buf, total, buf.length - total, null);
      total += n;
      if (n === 0 || total > MAX_TOGGLES_FILE_BYTES) break;
      if (total === buf.length) buf = grown(buf);
    }
    if (total > MAX_TOGGLES_FILE_BYTES) throw tooLarge(path, `more than ${MAX_TOGGLES_FILE_BYTES}`);
    return buf.toString('utf8', 0, total);
  } finally {
    closeSync(fd);
  }
}

async function readTogglesText(path: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size > MAX_TOGGLES_FILE_BYTES) throw tooLarge(path, size);
    let buf: Buffer = Buffer.allocUnsafe(size + 1);
    let total = 0;
    for (;;) {
      const { bytesRead: n } = await handle.read(buf, total, buf.length - total, null);
      total += n;
      if (n === 0 || total > MAX_TOGGLES_FILE_BYTES) break;
      if (total === buf.length) buf = grown(buf);
    }
    if (total > MAX_TOGGLES_FILE_BYTES) throw tooLarge(path, `more than ${MAX_TOGGLES_FILE_BYTES}`);
    return buf.toString('utf8', 0, total);
  } finally {
    await handle.close();
  }
}

/** Where the CLI writes and the runtime watches unless told otherwise (relative to cwd). */
export const DEFAULT_TOGGLES_FILE = '.ssot/shim-toggles.json';

/** The log of mode flips (who flipped what, when) the dashboard appends to: beside the toggles file it flips. */
export const FLIP_LOG_NAME = 'shim-flips.jsonl';
/** The flip log beside the default toggles file (relative to the repo). */
export const DEFAULT_FLIP_LOG_FILE = `${DEFAULT_TOGGLES_FILE.slice(0, DEFAULT_TOGGLES_FILE.lastIndexOf('/') + 1)}${FLIP_LOG_NAME}`;

/** The flip log of a toggles file. */
export function defaultFlipLogPath(togglesFile: string): string {
  return join(dirname(togglesFile), FLIP_LOG_NAME);
}

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
  const text = await readTogglesText(path);
  return text === undefined ? new Map() : parseTogglesText(text, path);
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
