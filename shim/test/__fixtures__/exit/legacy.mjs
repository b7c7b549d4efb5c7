// A facade as `strangle` generates it, for the child processes of the exit/worker tests: plain node
// on the built shim (dist/, as an installed package's app runs it; the tests' global setup rebuilds it
// when a source is newer), not the sources through tsx (~0.5 CPU-s a child).
import { defineLegacyFunction } from '../../../../dist/shim/index.js';

/** @deprecated WSMX1 */
export const legacyCall = defineLegacyFunction({ id: 'WSMX1', symbol: 'legacyCall', replacement: 'canonicalCall()', facade: import.meta.url }, (n) => n + 1);
