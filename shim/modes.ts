/**
 * Per-deprecation-id routing modes.
 *
 * Three sources feed one registry: the environment (`SSOT_SHIM="WSM001=legacy,*=canonical"`),
 * a watched toggles file, and this module's API. Each source is a layer of entries. For one id,
 * each layer offers its exact entry or else its `*` entry, and the candidates are ranked:
 *   1. the most recently changed entry wins (an on-call flip of `*` in the file overrides an
 *      exact env entry; a later API call overrides the file again);
 *   2. among entries loaded at startup (no change yet), an exact id beats `*`;
 *   3. then api > file > env.
 * Removing an entry hands the id back to whatever set it before.
 * Every change of an effective mode is recorded as a flip {at, id, from, to, source}.
 */
import { ShimConfigError } from './errors.js';

export const SHIM_MODES = ['canonical', 'legacy', 'strict', 'shadow'] as const;
export type ShimMode = (typeof SHIM_MODES)[number];
export const WILDCARD = '*';
export const DEFAULT_MODE: ShimMode = 'canonical';

export type ModeSource = 'env' | 'file' | 'api';
/** On equal recency (never in practice: writes are sequenced) the earlier layer wins. */
const SOURCES: readonly ModeSource[] = ['api', 'file', 'env'];

export interface ModeFlip {
  /** Epoch ms. */
  at: number;
  /** A deprecation id, or `*` for "every id not named anywhere". */
  id: string;
  from: ShimMode;
  to: ShimMode;
  source: ModeSource;
}

interface Entry {
  mode: ShimMode;
  /** Write sequence number: larger is more recent; 0 for entries loaded at startup. */
  seq: number;
}

export function isShimMode(value: unknown): value is ShimMode {
  return typeof value === 'string' && (SHIM_MODES as readonly string[]).includes(value);
}

export function assertShimMode(value: unknown, where: string): ShimMode {
  if (!isShimMode(value)) {
    throw new ShimConfigError(
      `${where}: unknown shim mode ${JSON.stringify(value)} (expected one of ${SHIM_MODES.join(', ')})`,
    );
  }
  return value;
}

const ID_PATTERN = /^(\*|[A-Za-z][A-Za-z0-9_.-]{0,63})$/;

export function assertModeId(value: unknown, where: string): string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    throw new ShimConfigError(`${where}: invalid deprecation id ${JSON.stringify(value)} (expected e.g. WSM001 or *)`);
  }
  return value;
}

/** Parses `WSM001=legacy,*=canonical` (whitespace and empty items tolerated). */
export function parseModeSpec(spec: string, where = 'SSOT_SHIM'): Map<string, ShimMode> {
  const out = new Map<string, ShimMode>();
  for (const raw of spec.split(/[,;]/)) {
    const item = raw.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq < 0) throw new ShimConfigError(`${where}: expected id=mode, got ${JSON.stringify(item)}`);
    const id = assertModeId(item.slice(0, eq).trim(), where);
    out.set(id, assertShimMode(item.slice(eq + 1).trim(), `${where} (${id})`));
  }
  return out;
}

export type FlipListener = (flip: ModeFlip) => void;

export interface ModeRegistryOptions {
  /** Clock for flip records; tests may pin it. */
  now?: () => number;
  /** Cap on kept flip records (oldest dropped first). */
  maxFlips?: number;
}

export class ModeRegistry {
  private readonly layers = new Map<ModeSource, Map<string, Entry>>(SOURCES.map((s) => [s, new Map()]));
  /** Last effective mode per id that anyone asked about or named, for flip detection. */
  private readonly effective = new Map<string, ShimMode>([[WILDCARD, DEFAULT_MODE]]);
  private readonly flipLog: ModeFlip[] = [];
  private readonly listeners = new Set<FlipListener>();
  private seq = 0;
  private changes = 0;
  private readonly now: () => number;
  private readonly maxFlips: number;

  constructor(options: ModeRegistryOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxFlips = options.maxFlips ?? 1000;
  }

  /** The mode for an id right now. Cheap: a few map lookups; callers read it once per construction. */
  get(id: string): ShimMode {
    const mode = this.resolve(id);
    if (!this.effective.has(id)) this.effective.set(id, mode);
    return mode;
  }

  /**
   * Bumped by every change of a source's layer (API, toggles file, environment). A reader that
   * caches a mode (a manager that follows the mode at each call) re-reads it only when this moved:
   * one comparison per call instead of the layers' lookups.
   */
  get version(): number {
    return this.changes;
  }

  /** Whether any source names this id, or `*` (else the id runs in its default mode). */
  names(id: string): boolean {
    for (const source of SOURCES) {
      const layer = this.layers.get(source)!;
      if (layer.has(id) || layer.has(WILDCARD)) return true;
    }
    return false;
  }

  /** API source: set one id (or `*`) to a mode. */
  set(id: string, mode: ShimMode): void {
    assertModeId(id, 'setMode');
    assertShimMode(mode, `setMode(${id})`);
    this.replaceLayer('api', new Map([...this.entries('api'), [id, mode]]));
  }

  /** API source: drop the API's entry for an id (or all API entries), handing it back to file/env. */
  clear(id?: string): void {
    const next = new Map(this.entries('api'));
    if (id === undefined) next.clear();
    else next.delete(id);
    this.replaceLayer('api', next);
  }

  /**
   * Replaces one source's whole layer. Entries whose mode did not change keep their recency, so
   * re-reading an unchanged toggles file does not override a later API call.
   */
  replaceLayer(source: ModeSource, modes: ReadonlyMap<string, ShimMode>, options: { initial?: boolean } = {}): void {
    const old = this.layers.get(source)!;
    const next = new Map<string, Entry>();
    for (const [id, mode] of modes) {
      const prev = old.get(id);
      next.set(id, prev && prev.mode === mode ? prev : { mode, seq: options.initial ? 0 : ++this.seq });
    }
    this.layers.set(source, next);
    this.changes++;
    for (const id of modes.keys()) if (!this.effective.has(id)) this.effective.set(id, this.resolveIgnoring(id));
    this.detectFlips(source);
  }

  /** Entries of one layer, id -> mode. */
  entries(source: ModeSource): Map<string, ShimMode> {
    return new Map([...this.layers.get(source)!].map(([id, e]) => [id, e.mode]));
  }

  /** Effective modes of every id known to the registry (named by a source or asked about). */
  snapshot(): Record<string, ShimMode> {
    const out: Record<string, ShimMode> = {};
    for (const id of this.effective.keys()) out[id] = this.resolve(id);
    return out;
  }

  flips(): readonly ModeFlip[] {
    return this.flipLog;
  }

  onFlip(listener: FlipListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private resolve(id: string): ShimMode {
    let best: Entry | undefined;
    let bestExact = false;
    // SOURCES is in priority order, so on a full tie the earlier layer stays best.
    for (const source of SOURCES) {
      const layer = this.layers.get(source)!;
      const exact = layer.get(id);
      const e = exact ?? layer.get(WILDCARD);
      if (!e) continue;
      const isExact = exact !== undefined && id !== WILDCARD;
      if (!best || e.seq > best.seq || (e.seq === best.seq && isExact && !bestExact)) {
        best = e;
        bestExact = isExact;
      }
    }
    return best ? best.mode : DEFAULT_MODE;
  }

  /** What an id resolved to before the current change: used only to seed newly named ids. */
  private resolveIgnoring(id: string): ShimMode {
    return this.effective.get(id) ?? this.effective.get(WILDCARD) ?? DEFAULT_MODE;
  }

  private detectFlips(source: ModeSource): void {
    const at = this.now();
    for (const [id, from] of this.effective) {
      const to = this.resolve(id);
      if (to === from) continue;
      this.effective.set(id, to);
      const flip: ModeFlip = { at, id, from, to, source };
      this.flipLog.push(flip);
      if (this.flipLog.length > this.maxFlips) this.flipLog.shift();
      for (const listener of this.listeners) {
        try {
          listener(flip);
        } catch {
          // A listener's bug must not stop a rollback from applying.
        }
      }
    }
  }
}
