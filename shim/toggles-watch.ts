/**
 * Keeps a ModeRegistry's `file` layer in step with the toggles file, so an on-call flip reaches
 * running processes without a restart. Two mechanisms: `fs.watch` on the directory (fast, and it
 * survives the rename of an atomic write) and `fs.watchFile` polling as a fallback (network file
 * systems, a directory that does not exist yet, dropped events). Both are unref'd: watching never
 * keeps a process alive. A malformed file keeps the last good state; the error is reported once
 * per distinct problem. Memory stays bounded whatever the file: a file over MAX_TOGGLES_FILE_BYTES
 * is refused unread, and what is kept between reads is a digest of the last text, not the text.
 */
import { createHash } from 'node:crypto';
import { unwatchFile, watch, watchFile } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { ModeRegistry } from './modes.js';
import { parseTogglesText, readTogglesTextSync } from './toggles-file.js';

export interface TogglesWatchOptions {
  /** Poll period of the fallback; default 250 ms (a flip lands well inside 1 s). */
  pollMs?: number;
  /** Called once per distinct error; default: a process warning of type `SsotShimToggleWarning`. */
  onError?: (error: unknown, path: string) => void;
}

export interface TogglesWatcher {
  readonly path: string;
  /** Re-reads the file now (also what the watchers call). Returns whether the file layer is in sync. */
  reload(): boolean;
  /** The last error reported, if the file is currently malformed. */
  readonly lastError: unknown;
  close(): void;
}

const defaultOnError = (error: unknown, path: string): void => {
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(`toggles file ${path} ignored, last good modes kept: ${message}`, { type: 'SsotShimToggleWarning' });
};

export function watchTogglesFile(registry: ModeRegistry, file: string, options: TogglesWatchOptions = {}): TogglesWatcher {
  const path = resolve(file);
  const onError = options.onError ?? defaultOnError;
  /** Digest of the last text read (the text itself could be up to the size limit). */
  let lastDigest: string | undefined;
  let loadedOnce = false;
  let lastErrorMessage: string | undefined;
  let lastError: unknown;
  let closed = false;
  let dirWatcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;

  const reload = (): boolean => {
    if (closed) return false;
    let text: string;
    try {
      text = readTogglesTextSync(path) ?? '';
    } catch (error) {
      // Unreadable or over the size limit: the last good modes stay.
      lastDigest = undefined;
      report(error);
      return false;
    }
    const digest = createHash('sha256').update(text).digest('base64');
    if (digest === lastDigest) return lastErrorMessage === undefined;
    lastDigest = digest;
    try {
      // A missing (or emptied) file means no file overrides.
      const modes = text.trim() === '' ? new Map() : parseTogglesText(text, path);
      // The first read is the startup state; later reads are flips and outrank older entries.
      registry.replaceLayer('file', modes, { initial: !loadedOnce });
      loadedOnce = true;
      lastErrorMessage = undefined;
      lastError = undefined;
      return true;
    } catch (error) {
      report(error);
      return false;
    }
  };

  const report = (error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error);
    lastError = error;
    if (message === lastErrorMessage) return;
    lastErrorMessage = message;
    try {
      onError(error, path);
    } catch {
      // Reporting must not break the watcher.
    }
  };

  const schedule = (): void => {
    if (debounce || closed) return;
    // Editors fire several events per save; read once they settle.
    debounce = setTimeout(() => {
      debounce = undefined;
      reload();
    }, 15);
    debounce.unref();
  };

  const startDirWatcher = (): void => {
    if (dirWatcher || closed) return;
    try {
      dirWatcher = watch(dirname(path), { persistent: false }, (_event, name) => {
        if (name === null || name === basename(path)) schedule();
      });
      dirWatcher.on('error', () => {
        // The directory went away; polling still covers the file.
        dirWatcher?.close();
        dirWatcher = undefined;
      });
    } catch {
      dirWatcher = undefined; // no directory yet: the poll below will notice the file appear
    }
  };

  const poll = (): void => {
    startDirWatcher();
    schedule();
  };

  reload();
  startDirWatcher();
  watchFile(path, { interval: options.pollMs ?? 250, persistent: false }, poll);

  return {
    path,
    reload,
    get lastError() {
      return lastError;
    },
    close() {
      closed = true;
      if (debounce) clearTimeout(debounce);
      dirWatcher?.close();
      unwatchFile(path, poll);
    },
  };
}
