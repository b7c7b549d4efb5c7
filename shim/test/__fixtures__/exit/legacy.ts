// A facade as `strangle` generates it, for the child processes of the exit/worker tests.
import { defineLegacyFunction } from '../../../index.js';

/** @deprecated WSMX1 */
export const legacyCall = defineLegacyFunction({ id: 'WSMX1', symbol: 'legacyCall', replacement: 'canonicalCall()', facade: import.meta.url }, (n: number) => n + 1);
