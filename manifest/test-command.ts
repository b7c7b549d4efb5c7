/**
 * Whether a `verify.test` command (or the package.json script it runs) runs any test at all: a
 * command made only of `echo`/`printf`, `true`/`:` and `exit N` steps tests nothing. `npm init`'s
 * placeholder (`echo "Error: no test specified" && exit 1`) always fails; an edited one
 * (`… && exit 0`), `echo ok` or `true` always passes — a phase verified by it would claim tests
 * that never ran. init drafts around both; the runner's verdict says "no tests run".
 */

/** `always-passes` / `always-fails`: the command runs no test; undefined: it may. */
export type NoTestKind = 'always-passes' | 'always-fails';

// A step that runs nothing: echo/printf of literal text (no command substitution), true, `:`, exit N.
const QUIET_STEP = /^(?:true|:|exit(?:\s+\d+)?|(?:echo|printf)(?:\s+[^`]*)?)$/;

/** Classifies a shell command by its steps (split at `&&`, `||`, `;`, `|`, `&`, newlines); undefined when any step may run something. */
export function commandRunsNoTests(command: string): NoTestKind | undefined {
  if (command.includes('$(') || command.includes('`')) return undefined;
  const steps = command.split(/&&|\|\||;|\||&|\n/).map((s) => s.trim());
  if (steps.length === 0 || steps.some((s) => s === '' || !QUIET_STEP.test(s))) return undefined;
  // the first `exit` reached decides (an `||` step runs only after a failure, which echo never has)
  const chain = command.split(/\|\|/)[0]!.split(/&&|;/).map((s) => s.trim());
  const exit = chain.find((s) => /^exit\b/.test(s));
  const code = exit ? Number(/\d+/.exec(exit)?.[0] ?? '0') : 0;
  return code === 0 ? 'always-passes' : 'always-fails';
}

// `npm test`, `npm t`, `npm run test`, `npm run-script x`, `yarn test`, `pnpm test`, `pnpm run x`, `bun run x`
// (not `bun test`: bun's own test runner)
const SCRIPT_CALL = /^(?:npm\s+(?:test|t|run(?:-script)?\s+([\w:.-]+))|(?:yarn|pnpm)\s+(?:run\s+)?([\w:.-]+)|bun\s+run\s+([\w:.-]+))\s*$/;

/**
 * The same, following one package-manager script call (`npm test` → package.json's "test") through
 * `scripts`; a command that is no such call is classified as written.
 */
export function verifyTestRunsNoTests(command: string, scripts: Readonly<Record<string, string>> | undefined): NoTestKind | undefined {
  const m = SCRIPT_CALL.exec(command.trim());
  if (!m) return commandRunsNoTests(command);
  const name = m[1] ?? m[2] ?? m[3] ?? 'test';
  const script = scripts?.[name];
  return script === undefined ? undefined : commandRunsNoTests(script);
}
