/** Argument parsing for the runner commands: node's parseArgs, with usage errors as exit 2. */
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    const r = parseArgs({ args: argv, options: { ...options, repo: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    const v = r.values as Record<string, unknown>;
    return { values: v, positionals: r.positionals, repo: path.resolve(typeof v.repo === 'string' ? v.repo : process.cwd()), json: v.json === true, help: v.help === true };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Runs a command body, turning UsageError into "message + usage" and exit code 2. */
export async function withUsage(usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\nusage: ${usage}\n`);
    return 2;
  }
}
