/**
 * The runner commands' shared shape: node's parseArgs with --repo/--json/--help, usage errors
 * (a bad --repo included) as exit code 2, --help printing the usage.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolveRepo } from '../repo-root.js';

export class UsageError extends Error {}

export interface ParsedArgs {
  values: Record<string, unknown>;
  positionals: string[];
  repo: string;
  json: boolean;
}

function parse(argv: string[], options: NonNullable<ParseArgsConfig['options']>): ParsedArgs & { help: boolean } {
  try {
    const r = parseArgs({ args: argv, options: { ...options, repo: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    const v = r.values as Record<string, unknown>;
    const help = v.help === true;
    // --help needs no repository; otherwise --repo must exist, or the root is found from the working directory.
    const repo = help ? process.cwd() : resolveRepo(typeof v.repo === 'string' ? v.repo : undefined);
    return { values: v, positionals: r.positionals, repo, json: v.json === true, help };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function defineCommand(spec: {
  name: string;
  summary: string;
  usage: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  run(args: ParsedArgs): Promise<number>;
}) {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    async run(argv: string[]): Promise<number> {
      try {
        const args = parse(argv, spec.options ?? {});
        if (args.help) {
          process.stdout.write(`usage: ${spec.usage}\n`);
          return 0;
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
