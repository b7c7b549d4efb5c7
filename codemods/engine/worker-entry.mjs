// Pool worker entry when the toolkit runs from its TypeScript sources (the repository checkout):
// register tsx's loader in this thread, then load the TS worker. The built package starts
// dist/codemods/engine/worker.js directly (see workerEntry in pool.ts); tsx is a devDependency.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
