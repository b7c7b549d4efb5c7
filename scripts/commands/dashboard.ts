/**
 * `ssot-migrate dashboard (--telemetry FILES|prometheus+http://HOST:PORT | --live [--run MODULE]) [--port P (default ${DEFAULT_PORT})] [--host H]
 *   [--allowed-host NAME] [--toggles FILE] [--token-file FILE] [--repo DIR] [--window 7d] [--flip-log FILE]`
 * Serves the deprecation-telemetry dashboard until SIGINT/SIGTERM. `--live` reads the shim
 * runtime of this process; `--run MODULE` imports an app into it (so the page shows that app's
 * in-process telemetry), and SIGINT/SIGTERM then stop the app too (unless it handles the signal
 * itself); a module that fails to load stops the dashboard (exit 1). Embedders call
 * `startDashboard({ runtime })` instead.
 * The flip token comes from a file (--token-file) or SSOT_DASHBOARD_TOKEN, never from the command
 * line: every user of the machine can read a process's arguments (`ps`).
 */
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getShimRuntime } from '../../shim/runtime.js';
import { parseDuration } from '../../shim/duration.js';
import { DEFAULT_PORT, envToken, startDashboard, type DashboardOptions } from '../dashboard/index.js';
import { endHelperProcessesSync } from '../helper-processes.js';
import { RepoPathError, resolveRepo } from '../repo-root.js';
import { importModule } from '../../codemods/engine/dynamic-import.js';

const usage =
  `ssot-migrate dashboard (--telemetry FILE|DIR[,…]|prometheus+http://HOST:PORT | --live [--run MODULE]) [--port P (default ${DEFAULT_PORT})] [--host H] [--allowed-host NAME[,…]] [--toggles FILE] [--token-file FILE] [--repo DIR] [--window 7d] [--flip-log FILE]`;

/** What stops the dashboard (and, with --run, the app it hosts). */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** A token file larger than this is not a token. */
const MAX_TOKEN_FILE_BYTES = 4096;

/** Reads the flip token from a file: trimmed, non-empty, small; warns when others may read it. */
function readTokenFile(file: string, warn: (line: string) => void): string {
  let size: number;
  let mode: number;
  try {
    ({ size, mode } = statSync(file));
  } catch (error) {
    throw new UsageError(`--token-file ${file}: ${(error as Error).message}`);
  }
  if (size > MAX_TOKEN_FILE_BYTES) throw new UsageError(`--token-file ${file}: ${size} bytes is not a token (at most ${MAX_TOKEN_FILE_BYTES})`);
  const token = readFileSync(file, 'utf8').trim();
  if (!token) throw new UsageError(`--token-file ${file} is empty`);
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) warn(`dashboard: ${file} is readable by other users (chmod 600 it)`);
  return token;
}

/** The flags the parser below accepts (the docs test checks documented command lines against them). */
const FLAGS = ['telemetry', 'live', 'run', 'port', 'host', 'allowed-host', 'toggles', 'token-file', 'repo', 'window', 'flip-log', 'help'];

export const command = {
  name: 'dashboard',
  summary: 'live web dashboard of deprecation telemetry with safe-to-delete verdicts and a token-guarded mode flip',
  usage,
  flags: () => [...FLAGS],
  async run(argv: string[]): Promise<number> {
    const options: DashboardOptions = { log: (l) => process.stderr.write(`${l}\n`) };
    const telemetry: string[] = [];
    let live = false;
    let runModule: string | undefined;
    for (let i = 0; i < argv.length; i++) {
      let arg = argv[i]!;
      let inline: string | undefined;
      const eq = arg.indexOf('=');
      if (arg.startsWith('--') && eq > 0) {
        inline = arg.slice(eq + 1);
        arg = arg.slice(0, eq);
      }
      const value = (): string => {
        const v = inline ?? argv[++i];
        if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${arg} needs a value`);
        return v;
      };
      try {
        switch (arg) {
          case '--telemetry':
            telemetry.push(...value().split(',').filter(Boolean));
            break;
          case '--live':
            live = true;
            break;
          case '--run':
            runModule = value();
            break;
          case '--port': {
            const p = Number(value());
            if (!Number.isInteger(p) || p < 0 || p > 65535) throw new UsageError('--port needs an integer 0..65535');
            options.port = p;
            break;
          }
          case '--host':
            options.host = value();
            break;
          case '--toggles':
            options.togglesFile = value();
            break;
          case '--allowed-host':
            (options.allowedHosts ??= []).push(...value().split(',').map((h) => h.trim()).filter(Boolean));
            break;
          case '--token':
            throw new UsageError('--token would show the token to every user of the machine (ps); use --token-file FILE or SSOT_DASHBOARD_TOKEN');
          case '--token-file':
            options.token = readTokenFile(value(), (l) => process.stderr.write(`${l}\n`));
            break;
          case '--repo':
            options.repo = value();
            break;
          case '--window':
            options.windowMs = parseDuration(value());
            break;
          case '--flip-log':
            options.flipLogFile = value();
            break;
          case '-h':
          case '--help':
            process.stdout.write(`usage: ${usage}\n`);
            return 0;
          default:
            // Plain paths after --telemetry are telemetry too (shell globs expand to several).
            if (!arg.startsWith('-') && telemetry.length) telemetry.push(arg);
            else throw new UsageError(`unknown argument ${arg}`);
        }
      } catch (error) {
        process.stderr.write(`${(error as Error).message}\nusage: ${usage}\n`);
        return 2;
      }
    }
    if (!live && telemetry.length === 0) {
      process.stderr.write(`give --telemetry FILES or --live\nusage: ${usage}\n`);
      return 2;
    }
    if (runModule && !live) {
      process.stderr.write(`--run needs --live\nusage: ${usage}\n`);
      return 2;
    }
    if (telemetry.length) options.telemetry = telemetry;
    if (options.repo) {
      try {
        options.repo = resolveRepo(options.repo);
      } catch (err) {
        if (!(err instanceof RepoPathError)) throw err;
        process.stderr.write(`${err.message}\nusage: ${usage}\n`);
        return 2;
      }
    }
    // With --repo, the toggles file a flip writes is that repo's (the shim's default path there).
    if (options.repo && !options.togglesFile && !live && !process.env.SSOT_SHIM_TOGGLES) options.togglesFile = join(resolve(options.repo), '.ssot', 'shim-toggles.json');
    if (live) options.runtime = getShimRuntime();
    const dashboard = await startDashboard(options);
    process.stdout.write(`dashboard on ${dashboard.url} (Ctrl-C to stop)\n`);
    if (!options.token && !envToken()) process.stdout.write('flips are disabled: pass --token-file FILE or set SSOT_DASHBOARD_TOKEN\n');
    // The signal listeners before the app is loaded (the shim's exit hooks among them): any other is the app's own.
    const before = new Map(STOP_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
    if (runModule) {
      try {
        await importModule(pathToFileURL(resolve(runModule)).href);
      } catch (error) {
        process.stderr.write(`dashboard: --run ${runModule} failed: ${(error as Error).message}\n`);
        await dashboard.close();
        await options.runtime?.close();
        // a module that failed half-way may have opened a server or a timer first: nothing of it
        // should keep the process up once the dashboard has said it stops
        endHelperProcessesSync();
        process.exit(1);
      }
    }
    const signal = await new Promise<NodeJS.Signals>((done) => {
      const stop = (s: NodeJS.Signals) => {
        for (const sig of STOP_SIGNALS) process.off(sig, stop);
        done(s);
      };
      for (const sig of STOP_SIGNALS) process.on(sig, stop);
    });
    await dashboard.close();
    if (live) await options.runtime?.close();
    // --run hosts the app in this process: its server, sockets and timers would keep the process
    // alive after the dashboard stopped. An app that listens to the signal ends itself; any other
    // ends here, as the signal would have ended it without the dashboard.
    if (runModule && !process.listeners(signal).some((l) => !before.get(signal)!.has(l))) {
      endHelperProcessesSync();
      process.exit(0);
    }
    return 0;
  },
};

class UsageError extends Error {}
