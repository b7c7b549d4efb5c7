import { COMMANDS } from './commands/index.js';
import { VERSION } from './package-root.js';

export { endHelperProcesses } from './helper-processes.js';

const help = (): string =>
  [
    'usage: ssot-migrate <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`),
    '',
    'run `ssot-migrate <command> --help` for its options; `ssot-migrate --version` prints the version',
    'without --repo, a command works on the repository around the working directory (the nearest ssot.config.json, else the git top level)',
    '',
  ].join('\n');

/** Entry point (bin/ssot-migrate.js): dispatch to one command; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`ssot-migrate: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  try {
    return await (await cmd.load()).command.run(rest);
  } catch (err) {
    // Errors reach the user as one line (no stack); SSOT_DEBUG=1 prints the stack for a bug report.
    process.stderr.write(`ssot-migrate ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.SSOT_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
