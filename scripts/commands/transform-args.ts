import { resolve } from 'node:path';

export interface TransformArgs {
  positional: string[];
  repo: string;
  dryRun: boolean;
  json: boolean;
  workers?: number;
  typeGuard: boolean;
  help: boolean;
}

export class UsageError extends Error {}

/** Options shared by the transform commands: --repo DIR, --dry-run, --json, --workers N, --type-guard. */
export function parseTransformArgs(argv: string[]): TransformArgs {
  const out: TransformArgs = { positional: [], repo: process.cwd(), dryRun: false, json: false, typeGuard: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (flag: string): string => {
      const eq = a.indexOf('=');
      if (eq !== -1) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (a === '--repo' || a.startsWith('--repo=')) out.repo = resolve(value('--repo'));
    else if (a === '--dry-run' || a === '--dry') out.dryRun = true;
    else if (a === '--json') out.json = true;
    else if (a === '--type-guard') out.typeGuard = true;
    else if (a === '--workers' || a.startsWith('--workers=')) {
      const n = Number(value('--workers'));
      if (!Number.isInteger(n) || n < 0) throw new UsageError('--workers needs a whole number');
      out.workers = n;
    } else if (a === '-h' || a === '--help') out.help = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else out.positional.push(a);
  }
  return out;
}
