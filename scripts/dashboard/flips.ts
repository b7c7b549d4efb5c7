/**
 * Modes and flips. The current mode of an id is what the shim's own ModeRegistry resolves from
 * the toggles file (watched with the shim's watcher, so `*` and precedence mean the same as in
 * the app); in --live mode it is the app's registry itself. A flip from the dashboard goes
 * through the shim's toggles-file writer (atomic), and every flip — from the dashboard, from
 * `ssot-migrate toggle`, from a hand edit — is kept in a flip log with who and when. The log is
 * a JSONL file beside the toggles file, so it survives restarts and is shared by dashboards.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ModeRegistry, WILDCARD, type ModeFlip, type ShimMode } from '../../shim/modes.js';
import { defaultFlipLogPath, setToggle } from '../../shim/toggles-file.js';
import { watchTogglesFile, type TogglesWatcher } from '../../shim/toggles-watch.js';

export interface FlipEntry {
  /** ISO time. */
  at: string;
  id: string;
  from: ShimMode;
  to: ShimMode;
  /** Who: the name given in the dashboard, or the source (`toggles file`, `api`, `env`). */
  by: string;
  via: 'dashboard' | 'file' | 'api' | 'env';
  address?: string;
}

// one place for the flip log's name: strangle ignores it in .gitignore too
export { defaultFlipLogPath };

const MAX_KEPT = 500;

export interface ModeControllerOptions {
  togglesFile: string;
  flipLogFile?: string;
  /** --live: the app's registry (and its watcher of the same toggles file, if any). */
  registry?: ModeRegistry;
  watcher?: TogglesWatcher;
  now?: () => number;
  onChange?: () => void;
  onError?: (message: string) => void;
}

export class ModeController {
  readonly registry: ModeRegistry;
  readonly togglesFile: string;
  readonly flipLogFile: string;
  private readonly watcher: TogglesWatcher | undefined;
  private readonly ownWatcher: boolean;
  private readonly log: FlipEntry[] = [];
  private readonly now: () => number;
  private inOwnWrite = false;
  private readonly unsubscribe: () => void;
  readonly startedAt: number;
  private flipLogError: string | undefined;

  constructor(private readonly options: ModeControllerOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.togglesFile = options.togglesFile;
    this.flipLogFile = options.flipLogFile ?? defaultFlipLogPath(options.togglesFile);
    this.registry = options.registry ?? new ModeRegistry();
    this.unsubscribe = this.registry.onFlip((flip) => this.recordExternal(flip));
    this.ownWatcher = !options.watcher;
    // The first read of the file states the modes in force; it is not a flip anyone made now.
    this.inOwnWrite = true;
    this.watcher =
      options.watcher ??
      watchTogglesFile(this.registry, this.togglesFile, {
        onError: (error) => {
          options.onError?.(`toggles file: ${(error as Error).message}`);
          options.onChange?.();
        },
      });
    this.inOwnWrite = false;
  }

  /** Reads earlier flips from the log file (bad lines skipped). */
  async load(): Promise<void> {
    let text = '';
    try {
      text = await readFile(this.flipLogFile, 'utf8');
    } catch {
      return;
    }
    const earlier: FlipEntry[] = [];
    for (const line of text.split('\n')) {
      try {
        const e = JSON.parse(line) as FlipEntry;
        if (typeof e.id === 'string' && typeof e.at === 'string' && typeof e.to === 'string') earlier.push(e);
      } catch {
        // a torn or foreign line
      }
    }
    this.log.unshift(...earlier.slice(-MAX_KEPT));
  }

  /** A malformed toggles file (the last good modes stay in force) or a failing flip log. */
  get lastError(): string | undefined {
    const toggles = this.watcher?.lastError;
    if (toggles) return `toggles file ignored, last good modes kept: ${(toggles as Error).message ?? String(toggles)}`;
    return this.flipLogError;
  }

  mode(id: string): ShimMode {
    return this.registry.get(id);
  }

  /** Ids named in the toggles file (not `*`). */
  namedIds(): string[] {
    return [...this.registry.entries('file').keys()].filter((id) => id !== WILDCARD);
  }

  flips(): readonly FlipEntry[] {
    return this.log;
  }

  /** When the id's current mode took effect, as far as the log and this process know. */
  modeSince(id: string): number {
    const current = this.mode(id);
    for (let i = this.log.length - 1; i >= 0; i--) {
      const e = this.log[i]!;
      if ((e.id === id || e.id === WILDCARD) && e.to === current) return Date.parse(e.at);
      if (e.id === id) break;
    }
    return this.startedAt;
  }

  /** The dashboard's flip: write the toggles file through the shim's writer, apply, record who. */
  async flip(id: string, to: ShimMode, by: string, address?: string): Promise<FlipEntry> {
    const from = this.mode(id);
    await setToggle(this.togglesFile, id, to);
    this.inOwnWrite = true;
    try {
      // Apply now rather than on the watcher's next event, so the response shows the new mode.
      this.watcher?.reload();
    } finally {
      this.inOwnWrite = false;
    }
    const entry: FlipEntry = { at: new Date(this.now()).toISOString(), id, from, to, by, via: 'dashboard' };
    if (address) entry.address = address;
    await this.record(entry);
    return entry;
  }

  close(): void {
    this.unsubscribe();
    if (this.ownWatcher) this.watcher?.close();
  }

  private recordExternal(flip: ModeFlip): void {
    if (this.inOwnWrite) return;
    // Ids first asked about flip from the default silently; the registry reports only real changes.
    const by = flip.source === 'file' ? 'toggles file' : flip.source;
    void this.record({ at: new Date(flip.at).toISOString(), id: flip.id, from: flip.from, to: flip.to, by, via: flip.source });
  }

  private async record(entry: FlipEntry): Promise<void> {
    this.log.push(entry);
    if (this.log.length > MAX_KEPT) this.log.shift();
    this.options.onChange?.();
    try {
      await mkdir(dirname(this.flipLogFile), { recursive: true });
      await appendFile(this.flipLogFile, JSON.stringify(entry) + '\n');
    } catch (error) {
      this.flipLogError = `flip log ${this.flipLogFile}: ${(error as Error).message}`;
      this.options.onError?.(this.flipLogError);
    }
  }
}
