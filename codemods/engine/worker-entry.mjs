// Plain-JS entry for pool workers: register tsx's loader in this thread, then load the TS worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
