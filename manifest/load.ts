/**
 * Reads and validates ssot.config.json. Every failure is a ManifestError whose message
 * starts with the file name and, for schema errors, the field path
 * (`ssot.config.json: legacy[1].id: expected an id like "WSM001" …`).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { formatPath, manifestSchema } from './schema.js';
import { readDerived, writeDerived } from './ts-load.js';
import type { SsotManifest } from './types.js';

export const MANIFEST_FILE = 'ssot.config.json';

export interface ManifestIssue {
  /** Field path such as `legacy[1].id`, or `(root)`; for JSON syntax errors `line:col`. */
  path: string;
  message: string;
}

export class ManifestError extends Error {
  readonly code = 'ERR_SSOT_MANIFEST';
  constructor(
    readonly file: string,
    readonly issues: readonly ManifestIssue[],
  ) {
    super(issues.map((i) => `${file}: ${i.path}: ${i.message}`).join('\n'));
    this.name = 'ManifestError';
  }
}

/** 1-based line and column of a character offset. */
function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, col: (lines.at(-1) ?? '').length + 1 };
}

/** Where a JSON.parse error happened (V8 reports "position N" or "line L column C" depending on version). */
function jsonErrorLocation(text: string, message: string): { line: number; col: number } {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), col: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  if (pos) return lineCol(text, Number(pos[1]));
  return lineCol(text, text.length); // "Unexpected end of JSON input"
}

/** zod reports a bad record key as "Invalid key in record"; the key's own check says why. */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key' && issue.issues.length > 0) {
    return `invalid key: ${issue.issues.map((inner) => inner.message).join('; ')}`;
  }
  return issue.message;
}

/**
 * How many manifests were parsed in this process (tests prove one parse per command with it).
 *
 * A manifest the CLI's bundle validated before (the same text, the same build) is taken from the
 * cache folder of typescript.js's code cache instead of being validated again
 * (manifest/ts-load.js readDerived; only valid manifests are stored, and validation reads nothing
 * but the text): zod's schema run cold and the templates' TypeScript parse were ~35 ms of CPU at
 * each start on the bench's 58 KB manifest.
 */
export const manifestStats = { parses: 0 };

export function parseManifest(text: string, fileName: string = MANIFEST_FILE): SsotManifest {
  manifestStats.parses++;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const { line, col } = jsonErrorLocation(body, message);
    const reason = message.replace(/\s*\((?:line \d+ column \d+)\)\s*$/, '').replace(/ in JSON at position \d+.*$/, '');
    throw new ManifestError(fileName, [{ path: `${line}:${col}`, message: `invalid JSON: ${reason}` }]);
  }
  // the same text validated by the same build before (the CLI's bundle only: manifest/ts-load.js readDerived)
  const known = readDerived('manifest', body, import.meta.url);
  if (known !== undefined) return known as SsotManifest;
  const result = manifestSchema.safeParse(raw);
  if (!result.success) {
    throw new ManifestError(
      fileName,
      result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issueMessage(issue) })),
    );
  }
  writeDerived('manifest', body, import.meta.url, result.data);
  return result.data;
}

/** Loads `<repoDir>/ssot.config.json`. */
export async function loadManifest(repoDir: string): Promise<SsotManifest> {
  const file = join(repoDir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? `not found (create ${MANIFEST_FILE} in the repo root; see manifest/README.md)` : `cannot be read (${code ?? String(error)})`;
    throw new ManifestError(file, [{ path: '(file)', message: why }]);
  }
  return parseManifest(text, file);
}
