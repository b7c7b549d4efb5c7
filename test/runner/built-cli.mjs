// The built CLI as an installed bin/ssot-migrate.js runs it (dist/bundle/cli.js, else
// dist/scripts/cli.js; test/helpers/build-dist.ts rebuilds dist/ before the tests when a source is
// newer): the checkout's bin runs the TypeScript sources through tsx, ~1 s of CPU a start
// against ~0.3 s for the bundle, and the runner tests start the CLI some 300 times.
import { existsSync } from 'node:fs';

const bundle = new URL('../../dist/bundle/cli.js', import.meta.url);
const dist = new URL('../../dist/scripts/cli.js', import.meta.url);
const cli = await import((existsSync(bundle) ? bundle : dist).href);
try {
  process.exitCode = await cli.main(process.argv.slice(2));
} finally {
  await cli.endHelperProcesses?.();
}
