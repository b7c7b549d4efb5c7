#!/usr/bin/env node
// The ssot-migrate CLI. Installed from npm it runs the build with plain node: the CLI's bundle
// (dist/bundle/cli.js: one script run from its V8 code cache; scripts/bundle.mjs), or
// dist/scripts/cli.js when the build has none. In the repository checkout (the TypeScript sources
// are next to this file) it runs the sources through tsx, so what you edit is what runs, with no
// build to forget; dist/ is used there only when tsx is not installed.
import { existsSync } from 'node:fs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`ssot-migrate needs Node.js 20.19 or newer (this is ${process.version})\n`);
  process.exit(1);
}

// SSOT_DEBUG=1 prints an error's stack: mapped back to the TypeScript sources (dist/ ships its
// source maps; Node reads those of modules loaded after this call).
if (process.env.SSOT_DEBUG) process.setSourceMapsEnabled?.(true);

const source = new URL('../scripts/cli.ts', import.meta.url);
const bundle = new URL('../dist/bundle/cli.js', import.meta.url);
const dist = new URL('../dist/scripts/cli.js', import.meta.url);

async function load() {
  if (existsSync(source)) {
    const tsx = await import('tsx/esm/api').catch((err) => {
      if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !existsSync(dist)) throw err;
      return undefined;
    });
    if (tsx) {
      tsx.register();
      return import(source.href);
    }
  }
  if (!existsSync(dist)) {
    process.stderr.write('ssot-migrate: dist/ is missing: run `npm run build` in the ssot-migrate package (npm install does it)\n');
    process.exit(1);
  }
  return import((existsSync(bundle) ? bundle : dist).href);
}

const cli = await load();
try {
  process.exitCode = await cli.main(process.argv.slice(2));
  // A failure can be the work of a signal the CLI got at the same moment (a Ctrl-C or SIGTERM to the
  // process group kills a git child too, whose error then ends the command). Node reads signals in its
  // event loop's poll phase, which a command ending on promise jobs alone never reaches: without one,
  // the CLI exited 1 as a plain failure and its SIGINT/SIGTERM handler (the "interrupted" line, exit
  // 130/143) never ran (chaos.test, ref:3=group:SIGTERM, 2026-12-05). One short timer gives it its turn.
  if (process.exitCode !== 0) await new Promise((resolve) => setTimeout(resolve, 50));
} finally {
  // No process outlives the CLI: tsx's esbuild service, a git child, a verify command's stragglers.
  await cli.endHelperProcesses?.();
}
