/**
 * The commands' shared shape: node's parseArgs with --repo/--json/--help, usage errors (a bad
 * --repo included) as exit code 2, --help printing the usage. Every command declares its flags
 * here, so `--help`, the parser and the docs test (test/docs) read the same list.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { existsSync } from 'node:fs';
import { resolveRepo } from '../repo-root.js';
import { assertNoJournal, JournalPendingError } from '../runner/journal.js';

export class UsageError extends Error {}

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, unknown>;
  positionals: string[];
  repo: string;
  json: boolean;
}

/** Flags every defineCommand command takes. */
export const COMMON_OPTIONS: OptionsConfig = { repo: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };

export function parseCommandArgs(argv: string[], options: OptionsConfig): ParsedArgs & { help: boolean } {
  try {
    const r = parseArgs({ args: argv, options: { ...options, ...COMMON_OPTIONS }, allowPositionals: true, strict: true });
    const v = r.values as Record<string, unknown>;
    const help = v.help === true;
    // --help needs no repository; otherwise --repo must exist, or the root is found from the working directory.
    const repo = help ? process.cwd() : resolveRepo(typeof v.repo === 'string' ? v.repo : undefined);
    return { values: v, positionals: r.positionals, repo, json: v.json === true, help };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Every flag the command accepts (long names, without dashes). */
  flags(): string[];
  run(argv: string[]): Promise<number>;
}

export function defineCommand(spec: {
  name: string;
  summary: string;
  usage: string;
  options?: OptionsConfig;
  /** Extra --help text after the usage line. */
  help?: () => string;
  /**
   * What an unfinished phase's journal in the repo means to this command: refuse (default: the
   * tree holds uncommitted phase edits), warn and go on, or ignore (recover).
   */
  onJournal?: 'refuse' | 'warn' | 'ignore';
  run(args: ParsedArgs): Promise<number>;
}): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    flags: () => Object.keys({ ...(spec.options ?? {}), ...COMMON_OPTIONS }),
    async run(argv: string[]): Promise<number> {
      try {
        const args = parseCommandArgs(argv, spec.options ?? {});
        if (args.help) {
          process.stdout.write(`usage: ${spec.usage}\n${spec.help ? spec.help() : ''}`);
          return 0;
        }
        if (spec.onJournal !== 'ignore' && existsSync(args.repo)) {
          try {
            assertNoJournal(args.repo);
          } catch (err) {
            if (!(err instanceof JournalPendingError)) throw err;
            process.stderr.write(`ssot-migrate ${spec.name}: ${err.message}\n`);
            if (spec.onJournal !== 'warn') return 1;
          }
        }
        return await spec.run(args);
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        process.stderr.write(`${err.message}\nusage: ${spec.usage}\n`);
        return 2;
      }
    },
  };
}
