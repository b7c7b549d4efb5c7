// Pool worker entry when the toolkit runs from its TypeScript sources (the repository checkout):
// register tsx's loader in this thread, then load the TS worker. The built package starts
// dist/codemods/engine/worker.js directly (see workerEntry in pool.ts); tsx is a devDependency.
import { register } from 'tsx/esm/api';

register();
// tsx transforms through an esbuild service: a child process this thread started. When the pool
// closes the thread, stop it first, so it does not run on after the thread (until it notices its
// closed stdin). Its exit status is collected only when the CLI exits (Node does not collect it
// for a finished worker thread): until then it is a zombie, never a running process.
globalThis[Symbol.for('ssot-migrate.worker.shutdown')] = async () => {
  const esbuild = await import('esbuild').catch(() => undefined);
  await esbuild?.stop?.();
};
await import('./worker.ts');
