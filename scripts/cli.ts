import { COMMANDS } from './commands/index.js';

const help = (): string =>
  ['usage: ssot-migrate <command> [options]', '', 'commands:', ...COMMANDS.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`), '', 'run `ssot-migrate <command> --help` for its options', ''].join('\n');

/** Entry point (bin/ssot-migrate.js): dispatch to one command; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(help());
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`ssot-migrate: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  try {
    return await (await cmd.load()).command.run(rest);
  } catch (err) {
    process.stderr.write(`ssot-migrate ${name}: ${(err as Error).message}\n`);
    return 1;
  }
}
